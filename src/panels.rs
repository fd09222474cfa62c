//! The panels around the canvas: run bar, palette, inspector, summary, charts, banner.

pub mod banner;
pub mod charts;
pub mod inspector;
pub mod palette;
pub mod runbar;
pub mod summary;
