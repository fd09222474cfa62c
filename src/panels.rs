//! The panels around the canvas: run bar, File menu, palette, inspector, summary, charts, banner.

pub mod banner;
pub mod charts;
pub mod files;
pub mod inspector;
pub mod palette;
pub mod runbar;
pub mod summary;
