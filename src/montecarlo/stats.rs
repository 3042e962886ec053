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
    fn the_variance_stays_exact_at_the_headcount_cap() {
        // Deviations from the mean, squared: not E[v^2] - mean^2, which at
        // 1e9 people (the validated cap) cancels to nonsense (-79 here).
        let h = hist(&[1e9, 1e9, 1e9 + 1.0]);
        let (mean, var) = h.mean_variance().unwrap();
        assert!((mean - (1e9 + 1.0 / 3.0)).abs() < 1e-6, "{mean}");
        assert!((var - 2.0 / 9.0).abs() < 1e-9, "{var}");
        let h = hist(&[123_456_789.0, 123_456_790.0, 123_456_790.0]);
        assert!((h.mean_variance().unwrap().1 - 2.0 / 9.0).abs() < 1e-9);
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

    /// An independent re-computation of what a histogram of `values` must
    /// hold: the smallest power-of-two width whose bins span under
    /// [`MAX_BINS`], and the count of each bin `floor(v / width)`.
    fn reference(values: &[f64]) -> (i64, std::collections::BTreeMap<i64, u64>) {
        let vs: Vec<i64> = values.iter().map(|x| x.round() as i64).collect();
        let (lo, hi) = (*vs.iter().min().unwrap(), *vs.iter().max().unwrap());
        let mut w = 1i64;
        while hi.div_euclid(w) - lo.div_euclid(w) >= 16_384 {
            w *= 2;
        }
        let mut bins = std::collections::BTreeMap::new();
        for v in vs {
            *bins.entry(v.div_euclid(w)).or_insert(0) += 1;
        }
        (w, bins)
    }

    /// Every public view of `h` against the reference for `values`.
    fn check_against_reference(h: &Histogram, values: &[f64], what: &str) {
        let (w, bins) = reference(values);
        assert_eq!(h.bin_width(), w, "{what}: width");
        assert_eq!(h.len(), values.len() as u64, "{what}: len");
        assert!(!h.is_empty(), "{what}");
        let mid = |b: i64| b as f64 * w as f64 + (w - 1) as f64 / 2.0;
        let want: Vec<(f64, u64)> = bins.iter().map(|(&b, &c)| (mid(b), c)).collect();
        let got: Vec<(f64, u64)> = h.iter().collect();
        assert_eq!(got, want, "{what}: bins");
        // Nearest rank on the sorted bin values, for every percent.
        let mut sorted: Vec<f64> = values
            .iter()
            .map(|x| mid((x.round() as i64).div_euclid(w)))
            .collect();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        for pct in 0..=100u32 {
            let rank = ((pct as usize * n).div_ceil(100)).clamp(1, n);
            assert_eq!(h.percentile(pct), Some(sorted[rank - 1]), "{what}: p{pct}");
        }
        let mean = sorted.iter().sum::<f64>() / n as f64;
        let var = sorted.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        let (m, v) = h.mean_variance().unwrap();
        assert!(
            (m - mean).abs() <= 1e-9 * mean.abs().max(1.0),
            "{what}: mean {m} vs {mean}"
        );
        assert!(
            (v - var).abs() <= 1e-9 * var.max(1.0),
            "{what}: var {v} vs {var}"
        );
        for &x in [sorted[0], sorted[n / 2], sorted[n - 1], sorted[n / 3] + 0.5].iter() {
            let at_least = sorted.iter().filter(|&&v| v >= x).count() as u64;
            assert_eq!(h.count_at_least(x), at_least, "{what}: at least {x}");
        }
    }

    /// A small deterministic generator, so the cases are fixed.
    fn lcg(seed: u64) -> impl FnMut() -> u64 {
        let mut s = seed;
        move || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s >> 33
        }
    }

    #[test]
    fn histograms_hold_what_an_independent_count_says() {
        // Spreads below, at and far past MAX_BINS, negative values, halves
        // that round, a single value.
        let cases: Vec<Vec<f64>> = vec![
            vec![7.0],
            vec![-3.0, -3.4, -2.6, 5.5, 0.0, 2.0, 2.0],
            vec![0.0, 16_383.0],
            vec![0.0, 16_384.0],
            vec![-16_384.0, 0.0, 1.0],
            // Coarsened when 0 comes below 16 384; -16 382 then still fits
            // width 2 (bins -8191 ..= 8192), if coarsening kept no bin past
            // the top one.
            vec![16_384.0, 0.0, -16_382.0],
            // The same with the top bin odd: -16 384 fits width 2 (bins
            // -8192 ..= 8191).
            vec![16_383.0, -1.0, -16_384.0],
            (0..100_000).map(f64::from).collect(),
            {
                let mut r = lcg(1);
                (0..3000).map(|_| (r() % 2_000_000) as f64 - 1e6).collect()
            },
            {
                let mut r = lcg(2);
                (0..3000).map(|_| (r() % 40) as f64 + 500.0).collect()
            },
            {
                let mut r = lcg(3);
                (0..2000)
                    .map(|i| {
                        if i % 500 == 0 {
                            9e6
                        } else {
                            (r() % 300) as f64
                        }
                    })
                    .collect()
            },
        ];
        for (k, values) in cases.iter().enumerate() {
            let h = hist(values);
            check_against_reference(&h, values, &format!("case {k} added"));
            // The same values merged from parts of different widths, in
            // both orders, and into an empty histogram.
            for parts in [2usize, 5] {
                let chunk = values.len().div_ceil(parts).max(1);
                let hs: Vec<Histogram> = values.chunks(chunk).map(hist).collect();
                let mut fwd = Histogram::new();
                hs.iter().for_each(|p| fwd.merge(p));
                check_against_reference(&fwd, values, &format!("case {k} in {parts}"));
                let mut rev = Histogram::new();
                hs.iter().rev().for_each(|p| rev.merge(p));
                check_against_reference(&rev, values, &format!("case {k} in {parts} rev"));
            }
            // Values added to a histogram that is already coarse, and a fine
            // histogram absorbing a coarse one (and the other way round).
            let (a, b) = values.split_at(values.len() / 2);
            if !a.is_empty() {
                let mut h = hist(a);
                b.iter().for_each(|&v| h.add(v));
                check_against_reference(&h, values, &format!("case {k} a then b"));
                let mut fine = hist(b);
                fine.merge(&hist(a));
                check_against_reference(&fine, values, &format!("case {k} b + a"));
            }
            let mut h = hist(values);
            h.merge(&Histogram::new());
            check_against_reference(&h, values, &format!("case {k} + empty"));
        }
    }

    #[test]
    fn a_fine_histogram_absorbs_a_coarse_one() {
        let wide: Vec<f64> = (0..40_000).map(|i| f64::from(i) * 3.0).collect();
        let narrow = [5.0, 6.0, 7.0, 1000.0];
        let mut h = hist(&narrow);
        assert_eq!(h.bin_width(), 1);
        h.merge(&hist(&wide));
        let all: Vec<f64> = narrow.iter().chain(&wide).copied().collect();
        check_against_reference(&h, &all, "fine + coarse");
        let mut h = hist(&wide);
        h.merge(&hist(&narrow));
        check_against_reference(&h, &all, "coarse + fine");
    }

    #[test]
    fn coarse_bins_stand_for_their_middle() {
        // Width 8: bin b holds 8b ..= 8b + 7 and stands for 8b + 3.5.
        let values: Vec<f64> = (0..100_000).map(f64::from).collect();
        let h = hist(&values);
        // The 50 000th value (49 999) is in bin 6249: 6249 * 8 + 3.5.
        assert_eq!(h.percentile(50), Some(49_995.5));
        assert_eq!(h.percentile(0), Some(3.5));
        assert_eq!(h.percentile(100), Some(99_999.0 - 7.0 + 3.5));
        assert_eq!(h.count_at_least(3.5), 100_000);
        assert_eq!(h.count_at_least(3.6), 100_000 - 8);
    }

    #[test]
    fn small_counts_and_empty_histograms() {
        let h = Histogram::new();
        assert!(h.is_empty());
        assert_eq!(h.len(), 0);
        assert_eq!(h.bin_width(), 1);
        assert_eq!(h.mean_variance(), None);
        assert_eq!(h.iter().count(), 0);
        assert_eq!(h.count_at_least(f64::NEG_INFINITY), 0);
        let h = hist(&[4.0, 2.0, 9.0, 2.0, 2.0]);
        assert!(!h.is_empty());
        assert_eq!(h.len(), 5);
        assert_eq!(h.iter().collect::<Vec<_>>(), [(2.0, 3), (4.0, 1), (9.0, 1)]);
        // 5 values: rank ceil(pct * 5 / 100): p20 -> 1st, p60 -> 3rd, p61 -> 4th.
        assert_eq!(h.percentile(20), Some(2.0));
        assert_eq!(h.percentile(60), Some(2.0));
        assert_eq!(h.percentile(61), Some(4.0));
        assert_eq!(h.percentile(81), Some(9.0));
        let (m, v) = h.mean_variance().unwrap();
        assert_eq!(m, 3.8);
        assert!((v - 7.36).abs() < 1e-12, "{v}");
        assert_eq!(h.count_at_least(4.0), 2);
        assert_eq!(h.count_at_least(2.0), 5);
    }

    #[test]
    fn ranks_are_ceilings_at_least_one() {
        assert_eq!(rank(50, 0), None);
        assert_eq!(rank(0, 10), Some(1));
        assert_eq!(rank(5, 10), Some(1));
        assert_eq!(rank(10, 10), Some(1));
        assert_eq!(rank(11, 10), Some(2));
        assert_eq!(rank(50, 3), Some(2));
        assert_eq!(rank(95, 1000), Some(950));
        assert_eq!(rank(100, 7), Some(7));
        assert_eq!(rank(95, u64::MAX), Some(17_524_406_870_024_074_035));
    }

    #[test]
    fn fixed_sums_count_and_merge() {
        let mut a = FixedSum::default();
        assert_eq!(a.mean(), None);
        a.add(3.0);
        a.add(-1.0);
        a.add(7.5);
        assert_eq!(a.mean(), Some(9.5 / 3.0));
        let mut b = FixedSum::default();
        b.add(10.0);
        a.merge(&b);
        assert_eq!(a.mean(), Some(19.5 / 4.0));
        let mut e = FixedSum::default();
        e.merge(&FixedSum::default());
        assert_eq!(e.mean(), None);
        // Resolution 2^-20: a value below half of it vanishes, one above does not.
        let mut t = FixedSum::default();
        t.add(0.4 / SCALE);
        assert_eq!(t.mean(), Some(0.0));
        let mut t = FixedSum::default();
        t.add(3.0 / SCALE);
        assert_eq!(t.mean(), Some(3.0 / SCALE));
    }
}
