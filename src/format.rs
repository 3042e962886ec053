//! Every number the tool turns into text, in one place: the console, the
//! Markdown report, the CSV and the chart labels all call these, so the same
//! value reads the same everywhere. None of them ever writes `-0`: a value
//! that rounds to zero is zero, whatever its sign was.

/// A number in full precision, for data files: the shortest text that reads
/// back to the same f64 (`2230`, `0.1303`). Empty when not finite, so a CSV
/// cell is blank rather than `NaN`.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{}", unsigned_zero(x))
    } else {
        String::new()
    }
}

/// `x` with `decimals` digits after the point and no thousands separators
/// (`12.5`, `0.30`); `n/a` when not finite.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let text = format!("{:.*}", decimals, x);
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// `x` with `decimals` digits and thousands separators: `12,345.6`.
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    let zero = out.chars().all(|c| c == '0' || c == '.' || c == ',');
    if x < 0.0 && !zero {
        format!("-{out}")
    } else {
        out
    }
}

/// `1234.5` as `1,235`: whole people with thousands separators, for people to read.
pub fn people(x: f64) -> String {
    // Halves round away from zero (2.5 people is 3), as `f64::round` does.
    thousands(x.round(), 0)
}

/// A signed difference in people, e.g. `+120`, `-1,450` or `0`.
pub fn signed_people(x: f64) -> String {
    if x.round() > 0.0 {
        format!("+{}", people(x))
    } else {
        people(x)
    }
}

/// A count of things with its noun in the right number: `1 run`, `10,000 runs`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", people(n as f64), if n == 1 { one } else { many })
}

/// A parameter value for people to read: whole numbers plain, values of 100
/// or more to one decimal, smaller ones to four significant digits, trailing
/// zeros dropped (`556.4`, `0.1303`, `4,000`).
pub fn value_label(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x.fract() == 0.0 {
        return thousands(x, 0);
    }
    let d = if x.abs() >= 100.0 {
        1
    } else if x.abs() >= 1.0 {
        2
    } else {
        (3.0 - x.abs().log10().floor()).clamp(2.0, 8.0) as usize
    };
    let s = thousands(x, d);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A share as a percentage with at most one decimal: 0.06 is `6%`, 0.125 is
/// `12.5%`, 0.0601 is `6%`.
pub fn percent(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let p = (x * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{}%", fixed(p, 0))
    } else {
        format!("{}%", fixed(p, 1))
    }
}

/// A share as a whole percentage: 0.456 is `46%`.
pub fn whole_percent(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    format!("{}%", fixed(100.0 * x, 0))
}

/// A probability as a whole percent for people: never rounds to a certainty
/// that is not one (0.996 is `>99%`, 0.004 is `<1%`).
pub fn chance(p: f64) -> String {
    if !p.is_finite() {
        "n/a".into()
    } else if p >= 1.0 {
        "100%".into()
    } else if p <= 0.0 {
        "0%".into()
    } else if p > 0.99 {
        ">99%".into()
    } else if p < 0.01 {
        "<1%".into()
    } else {
        format!("{:.0}%", (p * 100.0).round().clamp(1.0, 99.0))
    }
}

/// A share of `runs` Monte Carlo runs for people: [`chance`], except that
/// none or all of the runs is said as the count it is ("0% (0 of 1,000
/// runs)"): a Monte Carlo that never saw an outcome bounds its probability,
/// it does not show it is impossible.
pub fn chance_in(p: f64, runs: u64) -> String {
    if runs > 0 && p == 0.0 {
        format!("0% (0 of {})", count(runs, "run", "runs"))
    } else if runs > 0 && p == 1.0 {
        format!(
            "100% ({} of {})",
            people(runs as f64),
            count(runs, "run", "runs")
        )
    } else {
        chance(p)
    }
}

/// [`chance_in`] for a sentence: "37% of runs", "0% of runs (0 of 1,000)".
pub fn of_runs(p: f64, runs: u64) -> String {
    if runs > 0 && (p == 0.0 || p == 1.0) {
        format!(
            "{}% of runs ({} of {})",
            p * 100.0,
            people(p * runs as f64),
            people(runs as f64)
        )
    } else {
        format!("{} of runs", chance(p))
    }
}

/// A probability to one decimal, as [`percent`], but never rounded to a
/// certainty it is not: 0.0004 is `<0.1%`, 0.9996 is `>99.9%`.
pub fn percent_chance(p: f64) -> String {
    if p > 0.0 && p < 0.0005 {
        "<0.1%".into()
    } else if (0.9995..1.0).contains(&p) {
        ">99.9%".into()
    } else {
        percent(p)
    }
}

/// A relative change as a signed whole percentage: `+12%`, `-30%`, and `0%`
/// (never `+0%` or `-0%`) when it rounds to nothing.
pub fn signed_percent(x: f64) -> String {
    let text = fixed(100.0 * x, 0);
    if x > 0.0 && text != "0" {
        format!("+{text}%")
    } else {
        format!("{text}%")
    }
}

/// `-0.0` as `0.0`; every other value unchanged. Adding zero is the IEEE way.
pub fn unsigned_zero(x: f64) -> f64 {
    x + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_precision_round_trips() {
        for x in [0.1, 1.0 / 3.0, 1e-12, 4000.0, 123456.789, -0.0, -2.5] {
            let s = num(x);
            assert_eq!(s.parse::<f64>().unwrap(), x + 0.0, "{s}");
        }
        assert_eq!(num(2230.0), "2230");
        assert_eq!(num(f64::NAN), "");
    }

    #[test]
    fn people_and_thousands() {
        assert_eq!(people(0.4), "0");
        assert_eq!(people(999.5), "1,000");
        assert_eq!(people(1234567.0), "1,234,567");
        assert_eq!(people(-4000.0), "-4,000");
        assert_eq!(people(f64::NAN), "n/a");
        assert_eq!(signed_people(12.0), "+12");
        assert_eq!(signed_people(-1450.2), "-1,450");
        assert_eq!(thousands(1234567.891, 1), "1,234,567.9");
        assert_eq!(thousands(-0.01, 0), "0");
    }

    #[test]
    fn values() {
        assert_eq!(value_label(556.393), "556.4");
        assert_eq!(value_label(4000.0), "4,000");
        assert_eq!(value_label(0.0612345), "0.06123");
        assert_eq!(value_label(0.25), "0.25");
        assert_eq!(value_label(-0.0), "0");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0.06), "6%");
        assert_eq!(percent(0.125), "12.5%");
        assert_eq!(percent(0.6), "60%");
        assert_eq!(percent(0.8), "80%");
        assert_eq!(percent(0.8125), "81.3%");
        assert_eq!(people(2.5), "3");
        assert_eq!(percent(0.0601), "6%");
        assert_eq!(whole_percent(0.456), "46%");
        assert_eq!(signed_percent(0.123), "+12%");
        assert_eq!(signed_percent(-0.3), "-30%");
        assert_eq!(signed_percent(0.004), "0%");
        assert_eq!(signed_percent(-0.004), "0%");
    }

    #[test]
    fn chances_never_round_to_certainty() {
        assert_eq!(chance(1.0), "100%");
        assert_eq!(chance(0.0), "0%");
        assert_eq!(chance(0.9951), ">99%");
        assert_eq!(chance(0.0049), "<1%");
        assert_eq!(chance(0.374), "37%");
        assert_eq!(chance(0.985), "99%");
    }

    #[test]
    fn chances_of_runs_say_none_and_all_as_counts() {
        assert_eq!(chance_in(0.0, 1000), "0% (0 of 1,000 runs)");
        assert_eq!(chance_in(1.0, 1000), "100% (1,000 of 1,000 runs)");
        assert_eq!(chance_in(0.0004, 10_000), "<1%");
        assert_eq!(chance_in(0.5, 10), "50%");
        assert_eq!(chance_in(0.0, 1), "0% (0 of 1 run)");
        assert_eq!(of_runs(0.0, 1000), "0% of runs (0 of 1,000)");
        assert_eq!(of_runs(1.0, 20), "100% of runs (20 of 20)");
        assert_eq!(of_runs(0.374, 20), "37% of runs");
        assert_eq!(percent_chance(0.0004), "<0.1%");
        assert_eq!(percent_chance(0.0006), "0.1%");
        assert_eq!(percent_chance(0.0), "0%");
        assert_eq!(percent_chance(0.9996), ">99.9%");
        assert_eq!(percent_chance(0.9994), "99.9%");
        assert_eq!(percent_chance(1.0), "100%");
        assert_eq!(percent_chance(0.8125), "81.3%");
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "run", "runs"), "1 run");
        assert_eq!(count(10_000, "run", "runs"), "10,000 runs");
        assert_eq!(count(0, "class", "classes"), "0 classes");
    }

    /// Small negative values that round to zero must not print a minus sign.
    #[test]
    fn no_negative_zero_anywhere() {
        for x in [-0.0, -1e-9, -0.004] {
            for text in [
                num(-0.0),
                fixed(x, 0),
                fixed(x, 1),
                fixed(x, 2),
                people(x),
                signed_people(x),
                thousands(x, 1),
                value_label(-0.0),
                percent(x / 100.0),
                whole_percent(x),
                signed_percent(x / 100.0),
            ] {
                assert!(!text.starts_with("-0"), "{x}: {text}");
            }
        }
    }
}
