//! Calendar months as plain integers, so the engine can index arrays by month.

use serde::{Serialize, Serializer};
use std::fmt;

/// A calendar month, stored as `year * 12 + (month - 1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(i32);

impl Month {
    /// Builds a month from a year and a month of the year (1..=12).
    pub fn new(year: i32, month: u32) -> Option<Month> {
        if (1..=12).contains(&month) && (1..=9999).contains(&year) {
            Some(Month(year * 12 + month as i32 - 1))
        } else {
            None
        }
    }

    /// Parses `YYYY-MM` strictly (four-digit year, two-digit month).
    pub fn parse(s: &str) -> Option<Month> {
        let b = s.as_bytes();
        if b.len() != 7
            || b[4] != b'-'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || c.is_ascii_digit())
        {
            return None;
        }
        let year: i32 = s[..4].parse().ok()?;
        let month: u32 = s[5..].parse().ok()?;
        Month::new(year, month)
    }

    pub fn year(self) -> i32 {
        self.0.div_euclid(12)
    }

    /// Month of the year, 1..=12.
    pub fn month_of_year(self) -> u32 {
        (self.0.rem_euclid(12) + 1) as u32
    }

    /// The fiscal year this month falls in, named by the calendar year the
    /// fiscal year starts in (Japan's FY2027 runs 2027-04 .. 2028-03).
    pub fn fiscal_year(self, fy_start_month: u32) -> i32 {
        if self.month_of_year() >= fy_start_month {
            self.year()
        } else {
            self.year() - 1
        }
    }

    /// Position of this month inside its fiscal year, 0..=11.
    pub fn fiscal_index(self, fy_start_month: u32) -> usize {
        ((self.month_of_year() + 12 - fy_start_month) % 12) as usize
    }

    pub fn plus(self, months: i32) -> Month {
        Month(self.0 + months)
    }

    /// Whole months from `earlier` to `self` (negative when `self` is earlier).
    pub fn since(self, earlier: Month) -> i32 {
        self.0 - earlier.0
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month_of_year())
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let m = Month::parse("2023-04").unwrap();
        assert_eq!(m.to_string(), "2023-04");
        assert_eq!(m.plus(11).to_string(), "2024-03");
        assert_eq!(m.plus(-4).to_string(), "2022-12");
        for bad in [
            "2023-4",
            "2023-13",
            "2023-00",
            "23-04",
            "2023/04",
            "abcd-ef",
            "",
            "2023-04-01",
            "+023-04",
        ] {
            assert!(Month::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn fiscal_years() {
        let apr = Month::parse("2027-04").unwrap();
        let mar = Month::parse("2028-03").unwrap();
        assert_eq!(apr.fiscal_year(4), 2027);
        assert_eq!(mar.fiscal_year(4), 2027);
        assert_eq!(apr.fiscal_index(4), 0);
        assert_eq!(mar.fiscal_index(4), 11);
        assert_eq!(mar.fiscal_year(1), 2028);
        assert_eq!(mar.fiscal_index(1), 2);
    }
}
