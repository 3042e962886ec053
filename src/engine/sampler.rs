//! How a flow is turned into a number of people. The engine is written once;
//! the deterministic projection uses expected values and the Monte Carlo uses
//! random integer counts with the same expectations.

use rand::{Rng, RngExt};
use rand_distr::{Binomial, Distribution, Poisson};

pub trait Sampler {
    /// How many of `n` people take a step that each takes with probability `p`.
    fn thin(&mut self, n: f64, p: f64) -> f64;
    /// For groups of `n[i]` people who each take a step with the same
    /// probability `p`, independently: how many of each group take it, into
    /// `out[i]`. The same as `thin` on each group (the default); samplers may
    /// draw it faster but must keep that joint distribution. Returns how
    /// many take it in all (the sum of `out`), which a sampler that draws
    /// the total first knows without adding the groups up again. Empty
    /// groups must not change the draws: the same call without them gives
    /// the same counts on the same random numbers (as `thin` of no one
    /// draws nothing, the default keeps this), so a caller need not leave
    /// them out.
    fn thin_each(&mut self, n: &[f64], p: f64, out: &mut [f64]) -> f64 {
        let mut moved = 0.0;
        for (o, &x) in out.iter_mut().zip(n) {
            *o = self.thin(x, p);
            moved += *o;
        }
        moved
    }
    /// How many people arrive when `mean` are expected.
    fn arrivals(&mut self, mean: f64) -> f64;
    /// True when headcounts are whole people (capacities are then floored).
    fn integer(&self) -> bool;
}

/// Expected values: fractional people, no randomness.
#[derive(Debug, Default, Clone, Copy)]
pub struct Expected;

impl Sampler for Expected {
    #[inline]
    fn thin(&mut self, n: f64, p: f64) -> f64 {
        n * p
    }
    #[inline]
    fn arrivals(&mut self, mean: f64) -> f64 {
        mean
    }
    fn integer(&self) -> bool {
        false
    }
}

/// Whole people: binomial thinning and Poisson arrivals drawn from `rng`.
pub struct Stochastic<R: Rng> {
    pub rng: R,
    /// Constants of recent binomial probabilities.
    binomials: BinomialTables,
    /// `exp(-mean)` of recent Poisson means.
    exp_neg: Memo,
    /// Cumulative probabilities of recent Poisson means.
    poisson: PoissonCdfs,
    /// Scratch for `thin_each`: the groups' running sizes (only grows).
    ends: Vec<u64>,
    /// Scratch for `thin_each`: the people picked.
    picks: Vec<u64>,
}

impl<R: Rng> Stochastic<R> {
    pub fn new(rng: R) -> Stochastic<R> {
        Stochastic {
            rng,
            binomials: BinomialTables::new(),
            exp_neg: Memo::new(),
            poisson: PoissonCdfs::default(),
            ends: Vec::new(),
            picks: Vec::new(),
        }
    }
}

/// The last values of a costly function, by argument. A run asks for the
/// same few again and again (a leaving probability per level, an arrival
/// mean per inflow and fiscal year), and a log or exp costs several times a
/// lookup. A cached value is the value the function gives, so draws do not
/// depend on what is cached.
#[derive(Debug, Clone)]
struct Memo {
    args: [u64; MEMO_SLOTS],
    values: [f64; MEMO_SLOTS],
}

const MEMO_SLOTS: usize = 8;

impl Memo {
    fn new() -> Memo {
        // No argument has these bits but one NaN, whose value is NaN anyway.
        Memo {
            args: [u64::MAX; MEMO_SLOTS],
            values: [f64::NAN; MEMO_SLOTS],
        }
    }

    #[inline]
    fn get(&mut self, x: f64, f: impl FnOnce(f64) -> f64) -> f64 {
        let bits = x.to_bits();
        // Fibonacci hashing: the top bits of a multiple pick the slot.
        let i = (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 61) as usize;
        if self.args[i] != bits {
            self.args[i] = bits;
            self.values[i] = f(x);
        }
        self.values[i]
    }
}

impl<R: Rng> Sampler for Stochastic<R> {
    #[inline]
    fn thin(&mut self, n: f64, p: f64) -> f64 {
        if n <= 0.0 || p <= 0.0 {
            return 0.0;
        }
        if p >= 1.0 {
            return n;
        }
        // n is a whole number of people held in an f64; validation keeps it far below 2^53.
        binomial(n as u64, self.binomials.get(p), &mut self.rng) as f64
    }
    /// Draws the total number of movers `k ~ Binomial(sum n, p)`, then which
    /// people they are: given `k`, independent binomials with a common `p`
    /// are a uniform choice of `k` of the people (multivariate
    /// hypergeometric), so this has the same joint distribution as one
    /// binomial per group while costing one binomial per call. With the
    /// monthly rates of a workforce (well under 1 %), most calls move a
    /// handful of people among tens of cohorts. When many are expected to
    /// move, it draws a binomial per group instead, which then costs no more.
    /// (A binomial per group even for few movers, with `q^n` cached per
    /// group size, was measured slower on the peer scenario: a uniform per
    /// cohort costs more than placing a handful of movers.)
    fn thin_each(&mut self, n: &[f64], p: f64, out: &mut [f64]) -> f64 {
        if n.len() == 1 {
            out[0] = self.thin(n[0], p);
            return out[0];
        }
        if p <= 0.0 {
            out.fill(0.0);
            return 0.0;
        }
        if p >= 1.0 {
            out.copy_from_slice(n);
            return n.iter().sum();
        }
        // The groups' running sizes, summed once for both the total and
        // the placement of the movers (whole people: the same total as
        // their sum in any order; a library caller's fractions are rounded),
        // and which groups hold someone.
        if self.ends.len() < n.len() {
            self.ends.resize(n.len(), 0);
        }
        let ends = &mut self.ends[..n.len()];
        let mut end = 0u64;
        let mut held = 0usize;
        let mut last = 0;
        for (i, (e, &x)) in ends.iter_mut().zip(n).enumerate() {
            end += whole(x);
            *e = end;
            let some = x > 0.0;
            held += usize::from(some);
            last = if some { i } else { last };
        }
        if held == 1 {
            // One group holds everyone: its movers are drawn as `thin` of
            // it alone draws them (the total's binomial, no picks). Empty
            // groups thus never change the draws: a caller may pass its
            // cells without leaving out the empty ones.
            out.fill(0.0);
            out[last] = self.thin(n[last], p);
            return out[last];
        }
        let total = end as f64;
        if total <= 0.0 {
            // No one to move: no draw, as `thin` makes none for no one, so a
            // caller that skips empty groups stays on the same random numbers.
            out.fill(0.0);
            return 0.0;
        }
        let t = self.binomials.get(p);
        if total * t.pp > GROUPED_MEAN_MAX {
            // Many movers: one binomial per group costs no more.
            let mut moved = 0.0;
            for (o, &x) in out.iter_mut().zip(n) {
                *o = if x <= 0.0 {
                    0.0
                } else {
                    binomial(x as u64, t, &mut self.rng) as f64
                };
                moved += *o;
            }
            return moved;
        }
        let k = binomial(end, t, &mut self.rng) as f64;
        out.fill(0.0);
        allocate_by_ends(n, ends, total, k, out, &mut self.rng, &mut self.picks);
        // `k <= total`: at `k = total`, `choose` moves everyone, `total`.
        k
    }

    #[inline]
    fn arrivals(&mut self, mean: f64) -> f64 {
        if mean <= 0.0 {
            return 0.0;
        }
        if mean < POISSON_SMALL {
            // Inversion: exact, and exactly one uniform whatever the mean,
            // so a run's later draws stay on the same random numbers when a
            // lever changes the mean (common random numbers), and the count
            // never falls as the mean rises.
            let u: f64 = self.rng.random();
            let p0 = self.exp_neg.get(mean, |m| (-m).exp());
            if mean < POISSON_TABLE_MIN {
                return poisson_search(mean, u, p0);
            }
            return self.poisson.get(mean, p0).invert(mean, u);
        }
        match Poisson::new(mean) {
            Ok(d) => {
                let x: f64 = d.sample(&mut self.rng);
                x
            }
            Err(_) => mean.round(),
        }
    }
    fn integer(&self) -> bool {
        true
    }
}

/// Means below this are drawn by inversion (cost grows with the mean, one
/// uniform each); larger ones by rand_distr.
const POISSON_SMALL: f64 = 100.0;
/// Means from this up are inverted through a table of the distribution
/// function, kept per mean ([`PoissonCdfs`]); below it a search from zero is
/// as quick.
const POISSON_TABLE_MIN: f64 = 8.0;

/// A `Poisson(mean)` count by inversion of the uniform `u` (sequential
/// search from zero; `p0 = exp(-mean)`): the smallest `k` whose cumulative
/// probability reaches `u`, or where the terms underflow.
fn poisson_search(mean: f64, u: f64, p0: f64) -> f64 {
    let mut p = p0;
    let mut cdf = p;
    let mut k = 0;
    while u > cdf && p > 0.0 {
        k += 1;
        p *= mean * recip(k);
        cdf += p;
    }
    k as f64
}

/// The cumulative probabilities of a few Poisson means, each computed as
/// [`poisson_search`] computes them (same terms, same order of additions)
/// and only as far as a draw has needed, so a lookup gives exactly the count
/// the search gives. An inflow's monthly mean is the same all fiscal year: its
/// table is built once and then searched by bisection.
#[derive(Debug, Clone, Default)]
struct PoissonCdfs {
    tables: Vec<PoissonCdf>,
    /// The table replaced next when a new mean comes.
    next: usize,
}

#[derive(Debug, Clone)]
struct PoissonCdf {
    mean_bits: u64,
    cdf: Vec<f64>,
    /// The last term added to `cdf`.
    term: f64,
}

/// Means [`PoissonCdfs`] keeps tables for (one per inflow is typical).
const POISSON_TABLES: usize = 4;

impl PoissonCdfs {
    fn get(&mut self, mean: f64, p0: f64) -> &mut PoissonCdf {
        let bits = mean.to_bits();
        let i = match self.tables.iter().position(|t| t.mean_bits == bits) {
            Some(i) => i,
            None => {
                let i = self.next;
                self.next = (self.next + 1) % POISSON_TABLES;
                match self.tables.get_mut(i) {
                    Some(t) => {
                        // Reuse the allocation.
                        t.mean_bits = bits;
                        t.cdf.clear();
                        t.cdf.push(p0);
                        t.term = p0;
                    }
                    None => self.tables.push(PoissonCdf {
                        mean_bits: bits,
                        cdf: vec![p0],
                        term: p0,
                    }),
                }
                i
            }
        };
        &mut self.tables[i]
    }
}

impl PoissonCdf {
    fn invert(&mut self, mean: f64, u: f64) -> f64 {
        loop {
            let k = self.cdf.partition_point(|&c| u > c);
            if k < self.cdf.len() {
                return k as f64;
            }
            let last = self.cdf.len() - 1;
            if self.term <= 0.0 {
                return last as f64;
            }
            self.term *= mean * recip(last + 1);
            self.cdf.push(self.cdf[last] + self.term);
        }
    }
}

/// Binomials with `n min(p, 1 - p)` below this are drawn by inversion (cost
/// grows with the mean); larger ones by rand_distr's BTPE, whose fixed setup
/// cost is larger than a short inversion.
const BINOMIAL_SMALL: f64 = 30.0;

/// Group sizes whose `q^n` a [`BinomialTable`] keeps; larger groups (rare:
/// the capped last cohort of a big level) compute it.
const POW_SLOTS: usize = 256;
/// Multiples of [`POW_SLOTS`] whose `q^n` a [`BinomialTable`] keeps: with
/// the low powers they cover groups of up to 16,383 people.
const POW_HI_SLOTS: usize = 64;
/// Probabilities [`BinomialTables`] keeps constants for: a run uses a few
/// (a leaving and a promotion probability per level, a washout rate).
const BINOMIAL_SLOTS: usize = 8;

/// What a binomial draw with probability `p` needs that depends on `p`
/// alone, computed once: a run draws with the same few probabilities every
/// month, over many cohorts.
#[derive(Debug, Clone)]
struct BinomialTable {
    p_bits: u64,
    /// The original `p`, for rand_distr's BTPE.
    p: f64,
    /// `min(p, 1 - p)`: draws count the rarer outcome.
    pp: f64,
    flip: bool,
    /// `pp / (1 - pp)`.
    s: f64,
    /// `ln(1 - pp)`.
    ln_q: f64,
    /// `q^n = exp(n ln q)` by group size `n`, NaN until first needed.
    pow: [f64; POW_SLOTS],
    /// `q^(256 j)` by `j`, NaN until first needed (index 0 unused).
    pow_hi: [f64; POW_HI_SLOTS],
}

impl BinomialTable {
    fn set(&mut self, p: f64) {
        let flip = p > 0.5;
        let pp = if flip { 1.0 - p } else { p };
        self.p_bits = p.to_bits();
        self.p = p;
        self.pp = pp;
        self.flip = flip;
        self.s = pp / (1.0 - pp);
        self.ln_q = (-pp).ln_1p();
        self.pow.fill(f64::NAN);
        self.pow_hi.fill(f64::NAN);
    }

    /// `(1 - pp)^n`. A cached value is the value computed, so draws do not
    /// depend on what is cached. `exp(n ln q)`, not `powi`: its loop over
    /// the bits of `n` costs more than one exp. A level's total (thousands,
    /// a new one every month) is `q^(n mod 256) q^(256 (n div 256))`, two
    /// kept powers: an exp per draw was a twentieth of the Monte Carlo. The
    /// product can differ from `exp(n ln q)` in the last bit, never by more
    /// than the rounding either carries.
    #[inline]
    fn q_pow(&mut self, n: u64) -> f64 {
        let lo = (n % POW_SLOTS as u64) as usize;
        let hi = (n / POW_SLOTS as u64) as usize;
        if hi >= POW_HI_SLOTS {
            return (n as f64 * self.ln_q).exp();
        }
        let low = &mut self.pow[lo];
        if low.is_nan() {
            *low = (lo as f64 * self.ln_q).exp();
        }
        if hi == 0 {
            return *low;
        }
        let low = *low;
        let high = &mut self.pow_hi[hi];
        if high.is_nan() {
            *high = ((hi * POW_SLOTS) as f64 * self.ln_q).exp();
        }
        low * *high
    }
}

/// The [`BinomialTable`]s of recent probabilities, by probability.
#[derive(Debug, Clone)]
struct BinomialTables {
    /// The bits of each table's probability, scanned on every call: a hash
    /// of a few slots would let two of a run's probabilities evict each
    /// other every month.
    keys: [u64; BINOMIAL_SLOTS],
    tables: Vec<BinomialTable>,
    /// The slot replaced next when a new probability comes.
    next: usize,
}

impl BinomialTables {
    fn new() -> BinomialTables {
        let empty = BinomialTable {
            p_bits: u64::MAX,
            p: f64::NAN,
            pp: f64::NAN,
            flip: false,
            s: f64::NAN,
            ln_q: f64::NAN,
            pow: [f64::NAN; POW_SLOTS],
            pow_hi: [f64::NAN; POW_HI_SLOTS],
        };
        BinomialTables {
            // No probability in (0, 1) has these bits.
            keys: [u64::MAX; BINOMIAL_SLOTS],
            tables: vec![empty; BINOMIAL_SLOTS],
            next: 0,
        }
    }

    /// The table of `p`, in `(0, 1)`.
    #[inline]
    fn get(&mut self, p: f64) -> &mut BinomialTable {
        let bits = p.to_bits();
        let i = match self.keys.iter().position(|&k| k == bits) {
            Some(i) => i,
            None => {
                let i = self.next;
                self.next = (i + 1) % BINOMIAL_SLOTS;
                self.keys[i] = bits;
                self.tables[i].set(p);
                i
            }
        };
        &mut self.tables[i]
    }
}

/// A `Binomial(n, p)` draw, `p` in `(0, 1)` given by its table. Inversion by
/// sequential search (the BINV algorithm, as in rand_distr) for small means;
/// rand_distr's BTPE otherwise.
#[inline]
fn binomial<R: Rng>(n: u64, t: &mut BinomialTable, rng: &mut R) -> u64 {
    if (n as f64) * t.pp >= BINOMIAL_SMALL || n > i32::MAX as u64 {
        return Binomial::new(n, t.p).map_or(0, |b| b.sample(rng));
    }
    let mut r = t.q_pow(n);
    let mut u: f64 = rng.random();
    let mut x = 0;
    if u > r {
        let s = t.s;
        let a = (n + 1) as f64 * s;
        // `x < n` guards against rounding leaving `u` above the total mass.
        while u > r && x < n {
            u -= r;
            x += 1;
            r *= a * recip(x as usize) - s;
        }
    }
    if t.flip {
        n - x
    } else {
        x
    }
}

/// `1 / k`. The inversion loops above are chains of dependent steps, and
/// there a division costs several multiplications: a table covers the counts
/// they usually reach.
#[inline]
fn recip(k: usize) -> f64 {
    const N: usize = 256;
    const TABLE: [f64; N] = {
        let mut t = [0.0; N];
        let mut i = 1;
        while i < N {
            t[i] = 1.0 / i as f64;
            i += 1;
        }
        t
    };
    match TABLE.get(k) {
        Some(&r) => r,
        None => 1.0 / k as f64,
    }
}

/// A uniform integer in `0..bound` (`bound > 0`). Lemire's multiply-and-reject
/// on 32-bit draws, which covers any realistic headcount; rand's `random_range`
/// is a general routine that costs several times more per call.
#[inline]
fn below<R: Rng>(bound: u64, rng: &mut R) -> u64 {
    let Ok(s) = u32::try_from(bound) else {
        return rng.random_range(0..bound);
    };
    let mut m = u64::from(rng.next_u32()) * u64::from(s);
    if (m as u32) < s {
        let threshold = s.wrapping_neg() % s;
        while (m as u32) < threshold {
            m = u64::from(rng.next_u32()) * u64::from(s);
        }
    }
    m >> 32
}

/// Picks [`choose`] checks for repeats by a scan; more go through a set.
const FLOYD_MAX: usize = 32;
/// Groups up to which [`allocate_by_ends`] finds a pick's group by counting
/// rather than by binary search.
const LINEAR_MAX: usize = 64;
/// `thin_each` draws one total and allocates it when at most this many
/// people are expected to move (or to stay); otherwise a binomial per group.
const GROUPED_MEAN_MAX: f64 = 12.0;

/// Picks a uniformly random set of `k` of the `total = sum n` people and
/// writes how many of each group were picked into `out`. Whole people only.
/// The tests' way into the placement (`thin_each` sums the ends itself).
#[cfg(test)]
fn allocate<R: Rng>(n: &[f64], total: f64, k: f64, out: &mut [f64], rng: &mut R) {
    let mut end = 0u64;
    let ends: Vec<u64> = n
        .iter()
        .map(|&x| {
            end += x as u64;
            end
        })
        .collect();
    out.fill(0.0);
    allocate_by_ends(n, &ends, total, k, out, rng, &mut Vec::new());
}

/// Picks a uniformly random set of `k` of the `total = sum n` people and
/// adds how many of each group were picked to a zeroed `out`, given the
/// groups' running sizes `ends` (whole people); `picks` is scratch.
fn allocate_by_ends<R: Rng>(
    n: &[f64],
    ends: &[u64],
    total: f64,
    k: f64,
    out: &mut [f64],
    rng: &mut R,
    picks: &mut Vec<u64>,
) {
    let Some(invert) = choose(total, k, out, n, rng, picks) else {
        return;
    };
    // Each pick's group from the groups' ends: no sort, and no branch on
    // where the picks fall.
    for &c in picks.iter() {
        // The number of groups ending at or before the pick: over a level's
        // few dozen cohorts a count of independent compares (unrolled, no
        // branch), where a binary search is a chain of dependent loads.
        let before = if ends.len() <= LINEAR_MAX {
            ends.iter().map(|&e| usize::from(e <= c)).sum()
        } else {
            ends.partition_point(|&e| e <= c)
        };
        // Always inside for whole sizes (a pick is below their total);
        // the clamp keeps a library caller's fractional sizes from
        // indexing past the end.
        out[before.min(n.len() - 1)] += 1.0;
    }
    if invert {
        for (o, &x) in out.iter_mut().zip(n) {
            *o = x - *o;
        }
    }
}

/// The people [`allocate_by_ends`] picks, into `picks`: a uniform set of
/// `min(k, total - k)` distinct indices below `total` (Floyd's algorithm),
/// and whether they are the stayers (`k` above half) rather than the
/// movers. `None` when no pick is needed (`out`, zeroed by the caller, is
/// then written: nobody or everybody moves). The picks go to a buffer the
/// caller keeps: returned by value, an array of them was copied twice a
/// call, which showed as a memcpy in the profile.
fn choose<R: Rng>(
    total: f64,
    k: f64,
    out: &mut [f64],
    n: &[f64],
    rng: &mut R,
    picks: &mut Vec<u64>,
) -> Option<bool> {
    if k <= 0.0 {
        return None;
    }
    if k >= total {
        out.copy_from_slice(n);
        return None;
    }
    // Choose whichever side is smaller (movers or stayers).
    let invert = k > total - k;
    let pick = if invert { total - k } else { k };
    let total = total as u64;
    let pick = pick as usize;
    picks.clear();
    if pick <= FLOYD_MAX {
        for j in total - pick as u64..total {
            let t = below(j + 1, rng);
            let x = if picks.contains(&t) { j } else { t };
            picks.push(x);
        }
    } else {
        // Rare (the grouped path is only taken for small expected counts).
        let mut set = std::collections::BTreeSet::new();
        for j in total - pick as u64..total {
            let t = below(j + 1, rng);
            set.insert(if set.contains(&t) { j } else { t });
        }
        picks.extend(set);
    }
    Some(invert)
}

/// `x` as a whole number, for a count `0 <= x < 2^52` held in an `f64`:
/// adding 2^52 puts the integer in the mantissa bits, one addition where the
/// saturating `x as u64` is a compare, a select and two conversions (most of
/// a grouped draw's time for a level of few people). A fraction rounds to
/// nearest.
#[inline]
fn whole(x: f64) -> u64 {
    const SHIFT: f64 = 4_503_599_627_370_496.0; // 2^52
    (x + SHIFT).to_bits() - SHIFT.to_bits()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// `thin_each` must give every group the binomial law: mean n p and
    /// variance n p (1 - p), and groups must be negatively correlated only as
    /// independent binomials are (not at all).
    fn check_groups(n: &[f64], p: f64) {
        let mut s = Stochastic::new(ChaCha8Rng::seed_from_u64(3));
        let runs = 100_000;
        let mut sum = vec![0.0; n.len()];
        let mut sq = vec![0.0; n.len()];
        let mut cross = 0.0;
        let mut out = vec![0.0; n.len()];
        for _ in 0..runs {
            s.thin_each(n, p, &mut out);
            for i in 0..n.len() {
                assert!(out[i] >= 0.0 && out[i] <= n[i] && out[i].fract() == 0.0);
                sum[i] += out[i];
                sq[i] += out[i] * out[i];
            }
            cross += out[0] * out[1];
        }
        let r = runs as f64;
        for i in 0..n.len() {
            let mean = sum[i] / r;
            let var = sq[i] / r - mean * mean;
            let (m0, v0) = (n[i] * p, n[i] * p * (1.0 - p));
            assert!(
                (mean - m0).abs() < 5.0 * (v0 / r).sqrt() + 1e-12,
                "group {i}: mean {mean} vs {m0}"
            );
            // The sample variance's standard error, from the binomial's fourth
            // central moment n p q (1 + 3 (n - 2) p q): a fixed relative
            // tolerance would be loose for large groups and, for a group of
            // one person, tighter than the noise.
            let pq = p * (1.0 - p);
            let m4 = n[i] * pq * (1.0 + 3.0 * (n[i] - 2.0) * pq);
            let se = ((m4 - v0 * v0) / r).sqrt();
            assert!(
                (var - v0).abs() < 5.0 * se + 1e-12,
                "group {i}: var {var} vs {v0} (se {se})"
            );
        }
        let cov = cross / r - (sum[0] / r) * (sum[1] / r);
        let sd = (n[0] * p * (1.0 - p) * n[1] * p * (1.0 - p)).sqrt();
        assert!(
            cov.abs() < 5.0 * sd / r.sqrt(),
            "groups correlated: cov {cov}"
        );
    }

    #[test]
    fn thin_each_is_independent_binomials_person_by_person() {
        check_groups(&[40.0, 7.0, 300.0, 1.0, 25.0], 0.02);
    }

    #[test]
    fn thin_each_is_independent_binomials_when_many_move_or_stay() {
        check_groups(&[400.0, 70.0, 300.0], 0.3);
        check_groups(&[50.0, 20.0], 0.9);
        // Expected movers just under the grouped limit: large totals are allocated.
        check_groups(&[300.0, 90.0, 5.0, 200.0], 0.02);
    }

    #[test]
    fn fractional_sizes_from_a_library_caller_do_not_panic() {
        // The engine only passes whole people; a library caller might not.
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut out = [0.0; 3];
        for _ in 0..100 {
            allocate(&[0.5, 0.5, 1.0], 2.0, 1.0, &mut out, &mut rng);
            assert_eq!(out.iter().sum::<f64>(), 1.0);
        }
    }

    #[test]
    fn large_allocations_pick_uniformly() {
        // 60 of 175 people: more than fit on the stack, so the set path.
        let n = [100.0, 50.0, 25.0];
        let mut rng = ChaCha8Rng::seed_from_u64(8);
        let mut sum = [0.0; 3];
        let mut out = [0.0; 3];
        let runs = 4000;
        for _ in 0..runs {
            allocate(&n, 175.0, 60.0, &mut out, &mut rng);
            assert_eq!(out.iter().sum::<f64>(), 60.0);
            assert!(out.iter().zip(&n).all(|(o, x)| o <= x));
            for i in 0..3 {
                sum[i] += out[i];
            }
        }
        for i in 0..3 {
            let want = 60.0 * n[i] / 175.0;
            assert!(
                (sum[i] / runs as f64 - want).abs() < 0.15,
                "group {i}: {} vs {want}",
                sum[i] / runs as f64
            );
        }
    }

    #[test]
    fn poisson_arrivals_are_poisson_and_keep_runs_aligned() {
        for mean in [0.4, 3.0, 33.0, 150.0] {
            let mut s = Stochastic::new(ChaCha8Rng::seed_from_u64(11));
            let n = 20_000;
            let xs: Vec<f64> = (0..n).map(|_| s.arrivals(mean)).collect();
            let m = xs.iter().sum::<f64>() / n as f64;
            let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64;
            assert!(
                (m - mean).abs() < 5.0 * (mean / n as f64).sqrt(),
                "mean {m} vs {mean}"
            );
            assert!((v / mean - 1.0).abs() < 0.06, "variance {v} vs {mean}");
        }
        // Common random numbers: with the same stream, a larger mean never
        // gives fewer arrivals, and the draws after it are the same ones.
        let mut a = Stochastic::new(ChaCha8Rng::seed_from_u64(5));
        let mut b = Stochastic::new(ChaCha8Rng::seed_from_u64(5));
        for _ in 0..1000 {
            assert!(b.arrivals(20.5) >= a.arrivals(20.0));
        }
        assert_eq!(a.rng.random::<u64>(), b.rng.random::<u64>());
    }

    /// No one to move draws no random number, on either path: the fast
    /// engine skips empty groups where the general engine may pass none, and
    /// the two stay run for run the same only if that costs nothing.
    #[test]
    fn moving_no_one_draws_nothing() {
        let mut a = Stochastic::new(ChaCha8Rng::seed_from_u64(7));
        let mut b = Stochastic::new(ChaCha8Rng::seed_from_u64(7));
        let mut out = [1.0; 3];
        a.thin_each(&[0.0, 0.0, 0.0], 0.3, &mut out);
        assert_eq!(out, [0.0; 3]);
        a.thin_each(&[], 0.3, &mut []);
        let mut one = [1.0];
        a.thin_each(&[0.0], 0.3, &mut one);
        assert_eq!(one, [0.0]);
        assert_eq!(a.thin(0.0, 0.3), 0.0);
        assert_eq!(a.rng.random::<u64>(), b.rng.random::<u64>());
    }

    /// What `thin_each` returns is what it wrote, on every path: one group,
    /// no chance, certainty, nobody there, many movers (a binomial per
    /// group), few movers placed by running sizes, and more groups than
    /// those fit on the stack. The engine counts separations by it.
    #[test]
    fn thin_each_returns_the_movers_it_wrote() {
        let mut s = Stochastic::new(ChaCha8Rng::seed_from_u64(11));
        let mut many = vec![0.0; 80];
        for (i, x) in many.iter_mut().enumerate() {
            *x = (i % 7) as f64;
        }
        let cases: Vec<(Vec<f64>, f64)> = vec![
            (vec![40.0], 0.3),
            (vec![3.0, 4.0], 0.0),
            (vec![3.0, 4.0, 5.0], 1.0),
            (vec![0.0, 0.0], 0.4),
            (vec![500.0, 300.0, 200.0], 0.2),
            (vec![14.0, 17.0, 0.0, 15.0, 238.0], 0.01),
            (vec![2.0, 1.0, 3.0], 0.97),
            (many, 0.02),
        ];
        let mut moved_somewhere = 0;
        for (n, p) in &cases {
            for _ in 0..200 {
                let mut out = vec![f64::NAN; n.len()];
                let moved = s.thin_each(n, *p, &mut out);
                assert_eq!(moved, out.iter().sum::<f64>(), "{n:?} at p {p}");
                assert!(out.iter().zip(n).all(|(o, x)| (0.0..=*x).contains(o)));
                moved_somewhere += usize::from(moved > 0.0);
            }
        }
        // Not a test of zeros: most cases move someone most of the time.
        assert!(moved_somewhere > 1000, "{moved_somewhere}");
        // The trait's default (one `thin` per group) returns its sum too.
        let mut e = Expected;
        let mut out = [0.0; 2];
        assert_eq!(e.thin_each(&[10.0, 30.0], 0.25, &mut out), 10.0);
    }

    /// Counts held in an `f64` as whole numbers by the 2^52 shift: exact
    /// from 0 to far past any headcount; fractions round to nearest.
    #[test]
    fn whole_is_the_count() {
        for x in [
            0u64,
            1,
            2,
            7,
            238,
            65_535,
            1 << 32,
            999_999_999,
            (1 << 52) - 1,
        ] {
            assert_eq!(whole(x as f64), x);
        }
        assert_eq!(whole(2.4), 2);
        assert_eq!(whole(2.6), 3);
    }

    #[test]
    fn below_is_uniform_and_in_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        // A bound that is not a power of two, so rejection matters.
        let bound = 7;
        let draws = 70_000;
        let mut counts = [0u32; 7];
        for _ in 0..draws {
            let x = below(bound, &mut rng);
            assert!(x < bound);
            counts[x as usize] += 1;
        }
        // Chi-square with 6 degrees of freedom: 22.5 is its 99.9th percentile.
        let e = draws as f64 / bound as f64;
        let chi2: f64 = counts.iter().map(|&c| (c as f64 - e).powi(2) / e).sum();
        assert!(chi2 < 22.5, "chi-square {chi2}: {counts:?}");
        assert_eq!(below(1, &mut rng), 0);
        // Bounds past 32 bits take rand's general routine.
        let big = (1u64 << 40) + 3;
        assert!((0..100).all(|_| below(big, &mut rng) < big));
    }

    #[test]
    fn memo_returns_what_the_function_gives() {
        let mut m = Memo::new();
        let mut calls = 0;
        // More distinct arguments than slots, twice over: some evicted, all right.
        for round in 0..2 {
            for i in 0..20 {
                let p = 0.001 * (i + 1) as f64;
                let v = m.get(p, |p| {
                    calls += 1;
                    (-p).ln_1p()
                });
                assert_eq!(v, (-p).ln_1p(), "round {round}, p {p}");
            }
        }
        assert!((20..=40).contains(&calls));
        // The same argument again is not recomputed.
        let before = calls;
        m.get(0.5, |_| 1.0);
        let v = m.get(0.5, |_| {
            calls += 1;
            2.0
        });
        assert_eq!((v, calls), (1.0, before));
    }

    #[test]
    fn poisson_tables_give_the_search_s_counts() {
        let mut rng = ChaCha8Rng::seed_from_u64(17);
        let mut tables = PoissonCdfs::default();
        // More means than tables, revisited, so tables are replaced and reused.
        let means: [f64; 8] = [8.0, 33.3, 99.9, 12.5, 60.0, 8.0, 41.0, 33.3];
        for round in 0..50 {
            for &mean in &means {
                let p0 = (-mean).exp();
                let mut us: Vec<f64> = (0..20).map(|_| rng.random()).collect();
                // The extremes: the first term, and as far into the tail as a
                // uniform reaches (the search stops where the terms underflow).
                us.extend([0.0, p0, 1.0 - f64::EPSILON / 2.0, 1.0 - f64::EPSILON]);
                for u in us {
                    assert_eq!(
                        tables.get(mean, p0).invert(mean, u),
                        poisson_search(mean, u, p0),
                        "round {round}, mean {mean}, u {u}"
                    );
                }
            }
        }
        assert_eq!(tables.tables.len(), POISSON_TABLES);
    }

    /// The chi-square statistic of `counts` (of `draws` draws, by value)
    /// against the probabilities `pmf` (by value), with bins of fewer than
    /// five expected draws pooled, and whether it passes at level 1e-4.
    /// The probability beyond `pmf`'s end joins the last pooled bin.
    fn chi_square(counts: &[u64], pmf: &[f64], draws: u64) -> (f64, usize, bool) {
        let d = draws as f64;
        let mut bins: Vec<(f64, f64)> = Vec::new();
        let (mut o, mut e) = (0.0, 0.0);
        for (k, &pk) in pmf.iter().enumerate() {
            o += counts.get(k).copied().unwrap_or(0) as f64;
            e += pk * d;
            if e >= 5.0 {
                bins.push((o, e));
                (o, e) = (0.0, 0.0);
            }
        }
        // What lies beyond the pmf's range, and any remainder, pools with the last bin.
        o += counts.iter().skip(pmf.len()).sum::<u64>() as f64;
        e += (1.0 - pmf.iter().sum::<f64>()).max(0.0) * d;
        match bins.last_mut() {
            Some(last) => {
                last.0 += o;
                last.1 += e;
            }
            None => bins.push((o, e)),
        }
        let chi2: f64 = bins.iter().map(|&(o, e)| (o - e) * (o - e) / e).sum();
        let df = bins.len() - 1;
        // The 1 - 1e-4 quantile of chi-square(df), by Wilson and Hilferty.
        let crit = if df == 0 {
            0.0
        } else {
            let k = df as f64;
            let h = 2.0 / (9.0 * k);
            k * (1.0 - h + 3.719 * h.sqrt()).powi(3)
        };
        (chi2, df, chi2 <= crit + 1e-9)
    }

    /// `Binomial(n, p)` probabilities from 0 up to where they are negligible,
    /// by the ratio of successive terms in logs (no underflow for large n).
    fn binomial_pmf(n: u64, p: f64) -> Vec<f64> {
        if p == 0.0 || n == 0 {
            return vec![1.0];
        }
        let q = 1.0 - p;
        let mean = n as f64 * p;
        let hi = (mean + 12.0 * (mean * q).sqrt() + 20.0).min(n as f64) as u64;
        let mut ln = n as f64 * q.ln();
        let mut pmf = Vec::new();
        for k in 0..=hi {
            pmf.push(ln.exp());
            ln += ((n - k) as f64 / (k + 1) as f64).ln() + (p / q).ln();
        }
        pmf
    }

    fn poisson_pmf(mean: f64) -> Vec<f64> {
        let hi = (mean + 12.0 * mean.sqrt() + 20.0) as u64;
        let mut ln = -mean;
        let mut pmf = Vec::new();
        for k in 0..=hi {
            pmf.push(ln.exp());
            ln += (mean / (k + 1) as f64).ln();
        }
        pmf
    }

    fn tally(xs: impl Iterator<Item = f64>) -> (Vec<u64>, u64) {
        let mut counts = Vec::new();
        let mut draws = 0;
        for x in xs {
            assert!(x >= 0.0 && x.fract() == 0.0, "not a count: {x}");
            let k = x as usize;
            if k >= counts.len() {
                counts.resize(k + 1, 0);
            }
            counts[k] += 1;
            draws += 1;
        }
        (counts, draws)
    }

    /// Every path of `thin` (inversion with a cached and a computed `q^n`,
    /// flipped for p > 1/2, BTPE) gives the binomial law: a chi-square test
    /// against the exact probabilities, counting the rarer outcome for p
    /// near 1 so the test sees the tail that matters.
    #[test]
    fn thin_draws_the_binomial_law() {
        let cases: &[(u64, f64)] = &[
            (0, 0.3),
            (1, 0.3),
            (1, 0.999),
            (7, 0.5),
            (12, 1e-6),
            (40, 0.02),
            (50, 0.97),
            (255, 0.01),
            (256, 0.01),
            (300, 0.08),
            (1_000, 0.03),
            (1_000, 0.99),
            (100_000, 0.3),
            (10_000_000, 1e-6),
        ];
        let mut s = Stochastic::new(ChaCha8Rng::seed_from_u64(41));
        for &(n, p) in cases {
            let flip = p > 0.5;
            let (counts, draws) = tally((0..20_000).map(|_| {
                let x = s.thin(n as f64, p);
                assert!(x <= n as f64);
                if flip {
                    n as f64 - x
                } else {
                    x
                }
            }));
            let pmf = binomial_pmf(n, if flip { 1.0 - p } else { p });
            let (chi2, df, ok) = chi_square(&counts, &pmf, draws);
            assert!(ok, "Binomial({n}, {p}): chi-square {chi2} on {df} df");
        }
    }

    /// Poisson arrivals by search, by table and by rand_distr, tiny means to large.
    #[test]
    fn arrivals_draw_the_poisson_law() {
        let mut s = Stochastic::new(ChaCha8Rng::seed_from_u64(43));
        for mean in [
            1e-4,
            0.41666666666666663,
            1.6363636363636365,
            7.99,
            8.0,
            33.3,
            99.9,
            100.0,
            1_000.0,
        ] {
            let (counts, draws) = tally((0..20_000).map(|_| s.arrivals(mean)));
            let (chi2, df, ok) = chi_square(&counts, &poisson_pmf(mean), draws);
            assert!(ok, "Poisson({mean}): chi-square {chi2} on {df} df");
        }
    }

    /// The joint law of `thin_each`, cell by cell: every combination of
    /// outcomes of small groups against the product of binomial
    /// probabilities, on the path that places a few movers and on the one
    /// that draws a binomial per group.
    #[test]
    fn thin_each_draws_the_joint_law_of_independent_binomials() {
        let mut s = Stochastic::new(ChaCha8Rng::seed_from_u64(47));
        // 0.9 expected movers (placed); and 3 + 6 + 4 = 13 groups' worth
        // with a large last group (a binomial per group).
        for (n, p) in [
            (&[3.0, 2.0, 0.0, 4.0][..], 0.1),
            (&[3.0, 2.0, 4.0, 300.0][..], 0.05),
        ] {
            let small = 3;
            let pmfs: Vec<Vec<f64>> = n[..small]
                .iter()
                .map(|&x| binomial_pmf(x as u64, p))
                .collect();
            let sizes: Vec<usize> = n[..small].iter().map(|&x| x as usize + 1).collect();
            let cells: usize = sizes.iter().product();
            let cell = |out: &[f64]| {
                out[..small]
                    .iter()
                    .zip(&sizes)
                    .fold(0, |c, (&o, &m)| c * m + o as usize)
            };
            let mut want = vec![1.0; cells];
            for (c, w) in want.iter_mut().enumerate() {
                let mut rest = c;
                for i in (0..small).rev() {
                    *w *= pmfs[i].get(rest % sizes[i]).copied().unwrap_or(0.0);
                    rest /= sizes[i];
                }
            }
            let mut counts = vec![0u64; cells];
            let mut out = vec![0.0; n.len()];
            let draws = 40_000;
            let mut last = Vec::new();
            for _ in 0..draws {
                s.thin_each(n, p, &mut out);
                counts[cell(&out)] += 1;
                last.push(out[3]);
            }
            // Cells in a fixed order whose expected counts are not sorted: pool
            // by sorting cells on probability, so small ones join each other.
            let mut order: Vec<usize> = (0..cells).collect();
            order.sort_by(|&a, &b| want[b].total_cmp(&want[a]));
            let c: Vec<u64> = order.iter().map(|&i| counts[i]).collect();
            let w: Vec<f64> = order.iter().map(|&i| want[i]).collect();
            let (chi2, df, ok) = chi_square(&c, &w, draws);
            assert!(ok, "{n:?}, p {p}: joint chi-square {chi2} on {df} df");
            let (lc, ld) = tally(last.into_iter());
            let (chi2, df, ok) = chi_square(&lc, &binomial_pmf(n[3] as u64, p), ld);
            assert!(ok, "{n:?}, p {p}: last group chi-square {chi2} on {df} df");
        }
    }

    #[test]
    fn chi_square_rejects_a_wrong_law() {
        // The test above must be able to fail: Binomial(40, 0.02) draws
        // against Binomial(40, 0.025), and Poisson(1.6) against Poisson(1.7).
        let mut s = Stochastic::new(ChaCha8Rng::seed_from_u64(53));
        let (counts, draws) = tally((0..20_000).map(|_| s.thin(40.0, 0.02)));
        assert!(!chi_square(&counts, &binomial_pmf(40, 0.025), draws).2);
        let (counts, draws) = tally((0..20_000).map(|_| s.arrivals(1.6)));
        assert!(!chi_square(&counts, &poisson_pmf(1.7), draws).2);
    }

    /// Empty groups never change the draws: `thin_each` over cells with
    /// empty ones among them gives, on the same random numbers, exactly what
    /// it gives over the nonempty cells alone (and `thin` when one holds
    /// everyone). The fast engine passes its cells without leaving out the
    /// empty ones and relies on this to stay on the general engine's draws.
    #[test]
    fn empty_groups_never_change_the_draws() {
        let mut shape = ChaCha8Rng::seed_from_u64(41);
        for case in 0..3000 {
            let cells: Vec<f64> = (0..shape.random_range(1..90usize))
                .map(|_| {
                    if shape.random_bool(0.4) {
                        0.0
                    } else {
                        shape.random_range(1..300u32) as f64
                    }
                })
                .collect();
            let held: Vec<f64> = cells.iter().copied().filter(|&x| x > 0.0).collect();
            let p = [0.001, 0.01, 0.05, 0.5, 0.97][case % 5];
            let mut a = Stochastic::new(ChaCha8Rng::seed_from_u64(case as u64));
            let mut b = Stochastic::new(ChaCha8Rng::seed_from_u64(case as u64));
            let mut out = vec![f64::NAN; cells.len()];
            let moved = a.thin_each(&cells, p, &mut out);
            let mut want = vec![0.0; held.len()];
            let want_moved = match held.len() {
                0 => 0.0,
                1 => {
                    want[0] = b.thin(held[0], p);
                    want[0]
                }
                _ => b.thin_each(&held, p, &mut want),
            };
            let got: Vec<f64> = out
                .iter()
                .zip(&cells)
                .filter(|(_, &x)| x > 0.0)
                .map(|(&o, _)| o)
                .collect();
            assert_eq!(got, want, "case {case}: {cells:?} at p {p}");
            assert_eq!(moved, want_moved, "case {case}");
            assert!(
                out.iter().zip(&cells).all(|(&o, &x)| x > 0.0 || o == 0.0),
                "case {case}: an empty cell moved people"
            );
            // And both samplers are at the same point of their streams.
            assert_eq!(a.rng.next_u64(), b.rng.next_u64(), "case {case}");
        }
    }

    #[test]
    fn expected_thin_each_is_n_p() {
        let mut out = [0.0; 3];
        Expected.thin_each(&[10.0, 0.0, 3.5], 0.25, &mut out);
        assert_eq!(out, [2.5, 0.0, 0.875]);
    }

    /// Many groups (a level fed for years, promotion far off; the scratch
    /// buffers grow to them). Each group
    /// must still be binomial and the groups uncorrelated, with the movers
    /// picked (p small) and with the stayers picked (p near 1). Empty groups
    /// between full ones, and a first group of one person, make a pick
    /// counted in the wrong group show.
    #[test]
    fn thin_each_over_many_groups_is_independent_binomials() {
        let many: Vec<f64> = (0..80).map(|i| ((i + 1) % 7) as f64).collect();
        check_groups(&many, 0.02);
        check_groups(&many, 0.98);
    }

    /// `allocate` over many groups with more picks than `choose` scans
    /// (the set of picks), of movers and of stayers: each group's count has
    /// the multivariate hypergeometric mean `k n_i / T` and variance
    /// `k (n_i / T) (1 - n_i / T) (T - k) / (T - 1)`.
    #[test]
    fn large_allocations_over_many_groups_are_hypergeometric() {
        let n: Vec<f64> = (0..80).map(|i| ((i + 1) % 7) as f64).collect();
        let total: f64 = n.iter().sum();
        let mut rng = ChaCha8Rng::seed_from_u64(29);
        let runs = 20_000;
        for k in [60.0, total - 60.0] {
            let mut sum = vec![0.0; n.len()];
            let mut sq = vec![0.0; n.len()];
            let mut out = vec![0.0; n.len()];
            for _ in 0..runs {
                allocate(&n, total, k, &mut out, &mut rng);
                assert_eq!(out.iter().sum::<f64>(), k);
                for i in 0..n.len() {
                    assert!(out[i] >= 0.0 && out[i] <= n[i], "group {i}: {}", out[i]);
                    sum[i] += out[i];
                    sq[i] += out[i] * out[i];
                }
            }
            let r = runs as f64;
            for i in 0..n.len() {
                let f = n[i] / total;
                let (m0, v0) = (k * f, k * f * (1.0 - f) * (total - k) / (total - 1.0));
                let mean = sum[i] / r;
                let var = sq[i] / r - mean * mean;
                assert!(
                    (mean - m0).abs() < 5.0 * (v0 / r).sqrt() + 1e-12,
                    "k {k}, group {i}: mean {mean} vs {m0}"
                );
                // A loose check of the spread (the counts are bounded by the
                // group size, so the fourth moment is at most n_i^2 v0).
                assert!(
                    (var - v0).abs() < 5.0 * (n[i] * n[i] * v0 / r).sqrt() + 1e-12,
                    "k {k}, group {i}: var {var} vs {v0}"
                );
            }
        }
    }

    /// A generator stuck at its largest output: `random::<f64>()` is then
    /// `1 - 2^-53`, more than the binomial terms of the inversion add up to
    /// once rounded, for many `(n, p)`.
    struct Top;

    impl rand::TryRng for Top {
        type Error = std::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(u32::MAX)
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(u64::MAX)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            dst.fill(u8::MAX);
            Ok(())
        }
    }

    /// The inversion never counts more than `n` people, even for a uniform
    /// above the rounded total mass (the `x < n` guard): without it the
    /// search runs past `n` on terms of zero. A uniform that high comes
    /// once in ~2^50 draws, so no law test would see it.
    #[test]
    fn binomial_inversion_stops_at_n_for_the_largest_uniform() {
        let mut tables = BinomialTables::new();
        for n in 1..=12u64 {
            for j in 40..=200 {
                let p = f64::from(j) / 400.0;
                let x = binomial(n, tables.get(p), &mut Top);
                // The top of the distribution: all n, or n - 1 where the
                // rounded last term just covers what is left.
                assert!(x == n || x + 1 == n, "Binomial({n}, {p}) drew {x}");
            }
        }
    }

    /// `recip` past its table is still `1 / k` (the inversions reach it only
    /// for uniforms within ~1e-16 of 1, too rare for a law test).
    #[test]
    fn recip_is_one_over_k_past_its_table() {
        for k in 1..2000usize {
            assert_eq!(recip(k), 1.0 / k as f64, "k {k}");
        }
    }

    /// A generator that plays back the given 32-bit outputs.
    struct Script(std::collections::VecDeque<u32>);

    impl rand::TryRng for Script {
        type Error = std::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(self.0.pop_front().expect("the script ran out"))
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            let lo = u64::from(self.try_next_u32()?);
            Ok(lo | u64::from(self.try_next_u32()?) << 32)
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            for b in dst {
                *b = self.try_next_u32()? as u8;
            }
            Ok(())
        }
    }

    /// Lemire's rejection step, which a uniform stream enters about once
    /// in 2^32 / bound draws (far too rarely for a law test): on streams
    /// made to enter it, `below` gives the high word of `x * bound` for the
    /// first draw `x` whose low word is at least `2^32 mod bound` (the
    /// draws that make the multiply-and-shift exactly uniform).
    #[test]
    fn below_rejects_exactly_the_draws_lemire_rejects() {
        for s in [7u32, 1001, 3_000_000_001] {
            let threshold = ((1u64 << 32) % u64::from(s)) as u32;
            // The draw whose product with `s` has a given low word: times
            // the inverse of `s` modulo 2^32 (s odd), by Newton's iteration.
            let mut inv = s;
            for _ in 0..5 {
                inv = inv.wrapping_mul(2u32.wrapping_sub(s.wrapping_mul(inv)));
            }
            assert_eq!(s.wrapping_mul(inv), 1);
            let lows = [
                0,
                threshold.saturating_sub(1),
                threshold,
                threshold + 1,
                s - 1,
                s,
                s + 1,
                u32::MAX - 1,
            ];
            for &a in &lows {
                for &b in &lows {
                    let stream = [a.wrapping_mul(inv), b.wrapping_mul(inv), u32::MAX, 12_345];
                    let want = stream
                        .iter()
                        .map(|&x| u64::from(x) * u64::from(s))
                        .find(|&m| m as u32 >= threshold)
                        .expect("the last draws are accepted")
                        >> 32;
                    let got = below(u64::from(s), &mut Script(stream.into()));
                    assert_eq!(got, want, "bound {s}, low words {a} then {b}");
                }
            }
        }
    }
}
