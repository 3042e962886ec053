//! Fixed-size summaries of many runs: whole-person histograms (exact
//! percentiles without keeping every run) and order-free sums.
//!
//! Every accumulator here merges by integer addition, which is exact,
//! commutative and associative: the result of a Monte Carlo does not depend on
//! how runs were split between threads or in which order the parts were merged.

/// Most bins a histogram keeps. While a month's values span fewer people than
/// this, bins are one person wide and percentiles are exact; a wider spread
/// doubles the bin width until it fits (see [`Histogram`]).
pub const MAX_BINS: i64 = 1 << 14;

/// Counts of whole-person values. Values are rounded to whole people first
/// (they already are, with process noise on).
///
/// Bin `b` at width `2^shift` holds the values `v` with `v >> shift == b`. The
/// width is always the smallest power of two for which the values' span fits in
/// [`MAX_BINS`] bins, so it depends only on the smallest and largest value seen,
/// never on the order of adding or merging: the bins of the merged histogram are
/// the same whichever way the runs were grouped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    shift: u32,
    /// Bin index of `counts[0]`.
    lo: i64,
    counts: Vec<u64>,
    n: u64,
}

impl Histogram {
    pub fn new() -> Histogram {
        Histogram::default()
    }

    /// Number of values added.
    pub fn len(&self) -> u64 {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Width of a bin in people (1 while the spread is under [`MAX_BINS`]).
    pub fn bin_width(&self) -> i64 {
        1 << self.shift
    }

    /// Adds one value, rounded to the nearest whole person.
    #[inline]
    pub fn add(&mut self, x: f64) {
        // Saturating float-to-int conversion; headcounts are far inside i64 (validation caps them at 1e9).
        let v = round(x) as i64;
        let i = (v >> self.shift).wrapping_sub(self.lo);
        // Fast path: the bin exists already (almost every value after the first few).
        if (i as u64) < self.counts.len() as u64 {
            self.counts[i as usize] += 1;
            self.n += 1;
            return;
        }
        self.add_bin(v >> self.shift, self.shift, 1);
    }

    /// Adds `count` values in bin `bin` of width `2^shift` (`shift <= self.shift` or coarsened here).
    fn add_bin(&mut self, bin: i64, shift: u32, count: u64) {
        if count == 0 {
            return;
        }
        let mut b = bin >> (self.shift.saturating_sub(shift));
        if self.counts.is_empty() {
            // An empty histogram takes the first value's width, so the width
            // stays the minimum for the values seen.
            self.shift = self.shift.max(shift);
            b = bin >> (self.shift - shift);
            self.lo = b;
            self.counts.push(count);
            self.n += count;
            return;
        }
        loop {
            let hi = self.lo + self.counts.len() as i64 - 1;
            let (new_lo, new_hi) = (self.lo.min(b), hi.max(b));
            if new_hi - new_lo < MAX_BINS {
                if new_lo < self.lo {
                    let grow = (self.lo - new_lo) as usize;
                    self.counts.splice(0..0, std::iter::repeat_n(0, grow));
                    self.lo = new_lo;
                }
                if new_hi > hi {
                    self.counts.resize((new_hi - self.lo + 1) as usize, 0);
                }
                self.counts[(b - self.lo) as usize] += count;
                self.n += count;
                return;
            }
            self.coarsen();
            b = bin >> (self.shift - shift.min(self.shift));
        }
    }

    /// Doubles the bin width.
    fn coarsen(&mut self) {
        let new_lo = self.lo >> 1;
        let hi = (self.lo + self.counts.len() as i64 - 1) >> 1;
        let mut out = vec![0u64; (hi - new_lo + 1) as usize];
        for (i, &c) in self.counts.iter().enumerate() {
            out[(((self.lo + i as i64) >> 1) - new_lo) as usize] += c;
        }
        self.shift += 1;
        self.lo = new_lo;
        self.counts = out;
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &Histogram) {
        if other.is_empty() {
            return;
        }
        while self.shift < other.shift && !self.counts.is_empty() {
            self.coarsen();
        }
        for (i, &c) in other.counts.iter().enumerate() {
            self.add_bin(other.lo + i as i64, other.shift, c);
        }
    }

    /// The value a bin stands for: the person itself for one-person bins, else the bin's middle.
    fn value_of(&self, bin: i64) -> f64 {
        let w = self.bin_width();
        (bin * w) as f64 + (w - 1) as f64 / 2.0
    }

    /// The nearest-rank percentile: the smallest value with at least
    /// `ceil(pct / 100 * n)` values at or below it. `None` when empty.
    pub fn percentile(&self, pct: u32) -> Option<f64> {
        let rank = rank(pct, self.n)?;
        let mut cum = 0;
        for (i, &c) in self.counts.iter().enumerate() {
            cum += c;
            if cum >= rank {
                return Some(self.value_of(self.lo + i as i64));
            }
        }
        None
    }

    /// Mean and population variance of the binned values.
    pub fn mean_variance(&self) -> Option<(f64, f64)> {
        if self.n == 0 {
            return None;
        }
        let n = self.n as f64;
        let mean = self.iter().map(|(v, c)| v * c as f64).sum::<f64>() / n;
        let var = self
            .iter()
            .map(|(v, c)| (v - mean) * (v - mean) * c as f64)
            .sum::<f64>()
            / n;
        Some((mean, var))
    }

    /// `(value, count)` of every non-empty bin, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = (f64, u64)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (self.value_of(self.lo + i as i64), c))
    }

    /// Number of values at or above `x`, counted by bin value.
    pub fn count_at_least(&self, x: f64) -> u64 {
        self.iter().filter(|(v, _)| *v >= x).map(|(_, c)| c).sum()
    }
}

/// `ceil(pct / 100 * n)` in integers, at least 1; `None` when `n == 0`.
pub fn rank(pct: u32, n: u64) -> Option<u64> {
    if n == 0 {
        return None;
    }
    let r = (pct as u128 * n as u128).div_ceil(100) as u64;
    Some(r.clamp(1, n))
}

/// Resolution of [`FixedSum`]: 2^-20 people.
const SCALE: f64 = (1u64 << 20) as f64;

/// A sum of values in fixed point (2^-20 of a person), so adding in any order
/// gives the same total: the Monte Carlo mean does not depend on thread count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FixedSum {
    sum: i128,
    n: u64,
}

impl FixedSum {
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.sum += round(x * SCALE) as i128;
        self.n += 1;
    }

    pub fn merge(&mut self, other: &FixedSum) {
        self.sum += other.sum;
        self.n += other.n;
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / SCALE / self.n as f64)
    }
}

/// `x.round()`, skipping the library call when `x` is already whole (every
/// value is, with process noise on): `f64::round` is a call, not an
/// instruction, on baseline x86-64, and each run adds hundreds of values.
#[inline]
fn round(x: f64) -> f64 {
    // Saturating conversion: NaN and values past i64 take the library call.
    let whole = x as i64 as f64;
    if whole == x {
        whole
    } else {
        x.round()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_matches_the_library() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            2.5,
            -2.5,
            0.49999999999999994,
            1e15 + 0.5,
            3e19,
            -3e19,
            f64::INFINITY,
            f64::NEG_INFINITY,
            4503599627370497.0,
        ] {
            assert_eq!(round(x), x.round(), "{x}");
        }
        assert!(round(f64::NAN).is_nan());
    }

    fn hist(values: &[f64]) -> Histogram {
        let mut h = Histogram::new();
        for &v in values {
            h.add(v);
        }
        h
    }

    #[test]
    fn nearest_rank_percentiles_are_exact_for_whole_people() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let h = hist(&values);
        assert_eq!(h.percentile(5), Some(5.0));
        assert_eq!(h.percentile(50), Some(50.0));
        assert_eq!(h.percentile(95), Some(95.0));
        assert_eq!(h.percentile(100), Some(100.0));
        assert_eq!(h.percentile(0), Some(1.0));
        let (mean, var) = h.mean_variance().unwrap();
        assert_eq!(mean, 50.5);
        assert!((var - (100.0 * 100.0 - 1.0) / 12.0).abs() < 1e-9);
        assert_eq!(h.count_at_least(91.0), 10);
        assert_eq!(Histogram::new().percentile(50), None);
    }

    #[test]
    fn merging_in_any_grouping_gives_the_same_histogram() {
        // Wide enough to force coarsening, in a scrambled order.
        let values: Vec<f64> = (0..5000u64)
            .map(|i| ((i * 7919) % 5000) as f64 * 13.0 + (i % 3) as f64)
            .collect();
        let whole = hist(&values);
        assert!(whole.bin_width() > 1);
        for parts in [2, 3, 7, 64] {
            let chunk = values.len().div_ceil(parts);
            let hs: Vec<Histogram> = values.chunks(chunk).map(hist).collect();
            let mut fwd = Histogram::new();
            for h in &hs {
                fwd.merge(h);
            }
            let mut rev = Histogram::new();
            for h in hs.iter().rev() {
                rev.merge(h);
            }
            assert_eq!(fwd, whole, "{parts} parts forward");
            assert_eq!(rev, whole, "{parts} parts reversed");
        }
    }

    #[test]
    fn coarse_bins_stay_close() {
        let values: Vec<f64> = (0..100_000).map(f64::from).collect();
        let h = hist(&values);
        assert_eq!(h.bin_width(), 8);
        let p50 = h.percentile(50).unwrap();
        assert!((p50 - 50_000.0).abs() <= 8.0, "{p50}");
    }

    #[test]
    fn fixed_sums_do_not_depend_on_order() {
        let xs = [0.1, 1e6 + 0.3, 2.7, 1.0 / 3.0];
        let (mut a, mut b) = (FixedSum::default(), FixedSum::default());
        xs.iter().for_each(|&x| a.add(x));
        xs.iter().rev().for_each(|&x| b.add(x));
        assert_eq!(a, b);
        assert!((a.mean().unwrap() - xs.iter().sum::<f64>() / 4.0).abs() < 1e-6);
    }
}
