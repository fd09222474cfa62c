//! Plain-text tables and number formats for the readable output.
//!
//! Widths are counted in characters, not bytes, so ids and names with accents or `→` line up.

/// How a column's cells sit in their width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left, so digits line up.
    Right,
}

/// A table of text cells with a header row.
#[derive(Debug)]
pub struct Table {
    headers: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these columns.
    pub fn new(columns: &[(&str, Align)]) -> Table {
        Table {
            headers: columns.iter().map(|(h, _)| h.to_string()).collect(),
            align: columns.iter().map(|(_, a)| *a).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are blank and extra cells are dropped.
    pub fn row(&mut self, mut cells: Vec<String>) {
        cells.resize(self.headers.len(), String::new());
        self.rows.push(cells);
    }

    /// The table as lines, each starting with `indent` spaces, the header underlined.
    pub fn render(&self, indent: usize) -> String {
        let width = |s: &str| s.chars().count();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let line = |cells: &[String]| {
            let mut out = " ".repeat(indent);
            for (i, cell) in cells.iter().enumerate() {
                if i > 0 {
                    out.push_str("  ");
                }
                let pad = " ".repeat(widths[i] - width(cell));
                match self.align[i] {
                    Align::Left => {
                        out.push_str(cell);
                        out.push_str(&pad);
                    }
                    Align::Right => {
                        out.push_str(&pad);
                        out.push_str(cell);
                    }
                }
            }
            out.truncate(out.trim_end().len());
            out.push('\n');
            out
        };
        let mut out = line(&self.headers);
        let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&line(&rules));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// `x` with `decimals` places; non-finite values (an unbounded capacity) read as words.
pub fn num(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        "n/a".to_string()
    } else if x.is_infinite() || x >= f64::MAX {
        "unbounded".to_string()
    } else if x.abs() >= 1e15 {
        // Beyond what any count here reaches: 300 digits say nothing a power of ten does not.
        format!("{x:.3e}")
    } else {
        format!("{x:.decimals$}")
    }
}

/// A share (0..1) as a percentage with `decimals` places, without the `%` sign.
pub fn pct(share: f64, decimals: usize) -> String {
    num(share * 100.0, decimals)
}

/// An availability (0..1) as a percentage without the `%` sign, cut (never rounded up) to
/// two places, or as many more as it has nines: `99.89` for 0.99898, `99.9985` for 0.999985.
/// Rounded, 0.99898 read 99.90% next to an SLO of 99.9% it broke, and 0.99999 read 100.00%.
pub fn availability(share: f64) -> String {
    if !share.is_finite() || share >= 1.0 || share <= 0.0 {
        return pct(share, 2);
    }
    // Places as the nines go: 0.00102 missing gives 2, 0.000015 gives 4; at most 6.
    let places = (-(1.0 - share).log10()).floor().clamp(2.0, 6.0) as i32;
    let scale = 10f64.powi(places);
    // The tiny allowance keeps 0.999, stored just below itself, at 99.90 rather than 99.89.
    let cut = (share * 100.0 * scale + 1e-6).floor() / scale;
    format!("{cut:.0$}", places as usize)
}

/// A value as short as it can be written exactly: `8`, `2.5`, `0.001`, `1e308`, `2.5e-9`.
pub fn value(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else if x.is_finite() && x != 0.0 && !(1e-6..1e15).contains(&x.abs()) {
        // Rust writes every digit of 1e308 otherwise.
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// `1 edge`, `2 edges`: a count with its noun in the number it takes.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn very_large_and_small_numbers_are_written_with_a_power_of_ten() {
        assert_eq!(value(1e308), "1e308");
        assert_eq!(value(2.5e-9), "2.5e-9");
        assert_eq!(value(8.0), "8");
        assert_eq!(value(0.001), "0.001");
        assert_eq!(num(1e300, 0), "1.000e300");
        assert_eq!(num(1234.5, 1), "1234.5");
    }

    #[test]
    fn columns_line_up_and_numbers_align_right() {
        let mut t = Table::new(&[("id", Align::Left), ("rps", Align::Right)]);
        t.row(vec!["box".into(), "1.5".into()]);
        t.row(vec!["é→x".into(), "100.0".into()]);
        assert_eq!(
            t.render(2),
            "  id     rps\n  ---  -----\n  box    1.5\n  é→x  100.0\n"
        );
    }

    #[test]
    fn formats() {
        assert_eq!(num(666.666, 1), "666.7");
        assert_eq!(num(f64::MAX, 1), "unbounded");
        assert_eq!(pct(0.9991, 2), "99.91");
        assert_eq!(availability(0.99898), "99.89");
        assert_eq!(availability(0.999), "99.90");
        assert_eq!(availability(0.999985), "99.9985");
        assert_eq!(availability(0.9999999999), "99.999999");
        assert_eq!(availability(1.0), "100.00");
        assert_eq!(availability(0.5), "50.00");
        assert_eq!(availability(0.0), "0.00");
        assert_eq!(value(8.0), "8");
        assert_eq!(value(2.5), "2.5");
        assert_eq!(value(-3.0), "-3");
    }
}
