//! The engine's small steps against what their documentation promises:
//! allocation and removal by largest remainder, the two merges, placing
//! people by tenure shares, the stepping order. Mutation testing
//! (docs/testing.md) found these steps checked only through whole
//! projections that rarely reach their edge cases.

use super::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn clocks(mil: u16, obl_left: u16, obl_course: u16, contract_left: u16) -> Clocks {
    Clocks {
        mil,
        obl_left,
        obl_course,
        contract_left,
    }
}

fn cohort(n: f64, mil: u16) -> Cohort {
    Cohort::new(n, clocks(mil, 0, NO_COURSE, 0))
}

fn integer_allocation(n: &[f64], k: f64) -> Vec<f64> {
    let mut out = vec![f64::NAN; n.len()];
    allocate(n, k, true, &mut out);
    out
}

#[test]
fn allocate_splits_whole_people_by_largest_remainder_ties_to_the_earlier() {
    // Shares 5 × 5/10 = [2.5, 1, 1.5]: floors [2, 1, 1], one left for the
    // largest remainder, tied between cohorts 0 and 2: the earlier.
    assert_eq!(integer_allocation(&[5.0, 2.0, 3.0], 5.0), [3.0, 1.0, 1.0]);
    assert_eq!(integer_allocation(&[1.0, 1.0, 1.0], 2.0), [1.0, 1.0, 0.0]);
    // [1.2, 1.8]: the larger remainder is the second's.
    assert_eq!(integer_allocation(&[4.0, 6.0], 3.0), [1.0, 2.0]);
    // Enough for everyone, or more: everyone.
    assert_eq!(integer_allocation(&[4.0, 6.0], 10.0), [4.0, 6.0]);
    assert_eq!(integer_allocation(&[4.0, 6.0], 12.0), [4.0, 6.0]);
    // Nothing to give, or no one to give it to: zeros, not NaN.
    assert_eq!(integer_allocation(&[4.0, 6.0], 0.0), [0.0, 0.0]);
    assert_eq!(integer_allocation(&[0.0, 0.0], 0.0), [0.0, 0.0]);
    assert_eq!(integer_allocation(&[0.0, 0.0], 3.0), [0.0, 0.0]);
}

#[test]
fn allocate_in_expected_values_is_exactly_proportional() {
    let n = [4.0, 6.0, 0.5];
    let mut out = [f64::NAN; 3];
    allocate(&n, 3.0, false, &mut out);
    for (o, x) in out.iter().zip(n) {
        assert_eq!(*o, x * (3.0 / 10.5));
    }
    allocate(&n, 11.0, false, &mut out);
    assert_eq!(out, n);
    allocate(&n, 0.0, false, &mut out);
    assert_eq!(out, [0.0; 3]);
}

#[test]
fn allocate_keeps_its_laws_on_random_cohorts() {
    // Whole people: the total is k (or everyone), no cohort gives more than it
    // has, each is within one person of its exact share, and whoever got the
    // extra person had a remainder at least as large as anyone who did not.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for _ in 0..2000 {
        let len = rng.random_range(1..90);
        let n: Vec<f64> = (0..len).map(|_| rng.random_range(0..12) as f64).collect();
        let total: f64 = n.iter().sum();
        let k = rng.random_range(0..=(total as u64 + 3)) as f64;
        let out = integer_allocation(&n, k);
        let given = k.min(total);
        assert_eq!(out.iter().sum::<f64>(), given, "n {n:?} k {k}");
        let mut up_min = f64::INFINITY;
        let mut down_max = f64::NEG_INFINITY;
        for (&o, &x) in out.iter().zip(&n) {
            assert!(o.fract() == 0.0 && o >= 0.0 && o <= x, "{o} of {x}");
            if total > 0.0 {
                let exact = x * (given / total);
                assert!((o - exact).abs() < 1.0, "{o} for exact share {exact}");
                if given < total {
                    let r = exact - exact.floor();
                    if o > exact.floor() {
                        up_min = up_min.min(r);
                    } else {
                        down_max = down_max.max(r);
                    }
                }
            }
        }
        assert!(up_min >= down_max - 1e-12, "n {n:?} k {k}: {out:?}");
    }
}

fn sizes(list: &[Cohort]) -> Vec<f64> {
    list.iter().map(|c| c.n).collect()
}

#[test]
fn remove_proportionally_takes_whole_people_by_largest_remainder() {
    let mk = |n: &[f64]| n.iter().map(|&x| cohort(x, 0)).collect::<Vec<_>>();
    // Exact shares [2.5, 1, 1.5]: floors [2, 1, 1] taken, the fifth from
    // the earlier of the two tied remainders.
    let mut list = mk(&[5.0, 2.0, 3.0]);
    remove_proportionally(&mut list, 5.0, true);
    assert_eq!(sizes(&list), [2.0, 1.0, 2.0]);
    // Exact shares [1.2, 1.8]: the second has the larger remainder.
    let mut list = mk(&[4.0, 6.0]);
    remove_proportionally(&mut list, 3.0, true);
    assert_eq!(sizes(&list), [3.0, 4.0]);
    // Expected values: every cohort keeps 1 - k / total.
    let mut list = mk(&[4.0, 6.0, 0.5]);
    remove_proportionally(&mut list, 3.0, false);
    for (c, x) in list.iter().zip([4.0, 6.0, 0.5]) {
        assert_eq!(c.n, x * (1.0 - 3.0 / 10.5));
    }
    // Nothing to remove, or no one: unchanged.
    let mut list = mk(&[4.0, 6.0]);
    remove_proportionally(&mut list, 0.0, true);
    assert_eq!(sizes(&list), [4.0, 6.0]);
}

#[test]
fn remove_proportionally_keeps_its_laws_on_random_cohorts() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    for _ in 0..2000 {
        let len = rng.random_range(1..40);
        let n: Vec<f64> = (0..len).map(|_| rng.random_range(0..12) as f64).collect();
        let total: f64 = n.iter().sum();
        if total == 0.0 {
            continue;
        }
        let k = rng.random_range(0..total as u64) as f64;
        let mut list: Vec<Cohort> = n.iter().map(|&x| cohort(x, 0)).collect();
        remove_proportionally(&mut list, k, true);
        let left: f64 = list.iter().map(|c| c.n).sum();
        assert_eq!(left, total - k, "n {n:?} k {k}");
        for (c, &x) in list.iter().zip(&n) {
            let taken = x - c.n;
            assert!(c.n.fract() == 0.0 && c.n >= 0.0 && taken >= 0.0);
            assert!((taken - x * k / total).abs() < 1.0);
        }
    }
}

/// What [`merge_month`] promises to equal: everything in the order it was
/// added (entering cohorts added before the level was stepped, the
/// non-empty stayers, the other entering cohorts), stably sorted by clocks,
/// equal clocks summed left to right.
fn merged_by_sorting(list: &[Cohort], entering: &[Entering]) -> Vec<Cohort> {
    let mut all: Vec<Cohort> = entering
        .iter()
        .filter(|e| !e.after)
        .map(|e| e.cohort)
        .collect();
    all.extend(list.iter().filter(|c| c.n > 0.0));
    all.extend(entering.iter().filter(|e| e.after).map(|e| e.cohort));
    all.sort_by_key(|c| c.key);
    let mut out: Vec<Cohort> = Vec::new();
    for c in all {
        match out.last_mut() {
            Some(x) if x.key == c.key => x.n += c.n,
            _ => out.push(c),
        }
    }
    out
}

fn random_cohort(rng: &mut ChaCha8Rng) -> Cohort {
    // Few distinct clocks, so that many coincide; sizes with fractions, so
    // that the order of summation shows in the last bits.
    Cohort::new(
        rng.random_range(1..1000) as f64 / 7.0,
        clocks(
            rng.random_range(0..3),
            rng.random_range(0..2),
            rng.random_range(0..2),
            rng.random_range(0..2),
        ),
    )
}

#[test]
fn merge_sums_equal_clocks_and_sorts() {
    let mut list = vec![
        cohort(1.0, 3),
        cohort(2.0, 1),
        cohort(4.0, 3),
        cohort(8.0, 0),
    ];
    merge(&mut list);
    assert_eq!(list, [cohort(8.0, 0), cohort(2.0, 1), cohort(5.0, 3)]);
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for _ in 0..500 {
        let len = rng.random_range(0..30);
        let mut list: Vec<Cohort> = (0..len).map(|_| random_cohort(&mut rng)).collect();
        let want = merged_by_sorting(&list, &[]);
        merge(&mut list);
        assert_eq!(list, want);
    }
}

#[test]
fn merge_month_is_a_stable_sort_and_merge_sums_included() {
    let mut rng = ChaCha8Rng::seed_from_u64(10);
    let mut spare = Vec::new();
    for _ in 0..3000 {
        // The stayers as stepping leaves them: sorted, some emptied, and
        // sometimes out of order (clock changes a sort must fix).
        let len = rng.random_range(0..12);
        let mut list: Vec<Cohort> = (0..len).map(|_| random_cohort(&mut rng)).collect();
        list.sort_by_key(|c| c.key);
        for c in list.iter_mut() {
            if rng.random_range(0..4) == 0 {
                c.n = 0.0;
            }
        }
        if len > 1 && rng.random_range(0..3) == 0 {
            list.swap(0, len - 1);
        }
        let mut entering: Vec<Entering> = (0..rng.random_range(0..8))
            .map(|_| Entering {
                after: rng.random_range(0..2) == 1,
                cohort: random_cohort(&mut rng),
            })
            .collect();
        let want = merged_by_sorting(&list, &entering);
        merge_month(&mut list, &mut entering, &mut spare);
        assert_eq!(list, want);
    }
}

fn tenure_shares(q: &[f64]) -> Tenure {
    Tenure::Shares(q.to_vec())
}

#[test]
fn place_splits_expected_values_by_tenure_with_months_capped() {
    let mut list = Vec::new();
    place(
        &mut list,
        1000.0,
        Some(&tenure_shares(&[0.25, 0.0, 0.75])),
        6,
        &mut Expected,
    );
    merge(&mut list);
    assert_eq!(list, [cohort(250.0, 0), cohort(750.0, 2)]);
    // Months in level are capped: tenure 1 and 2 are both eligible at cap 1.
    let mut list = Vec::new();
    place(
        &mut list,
        100.0,
        Some(&tenure_shares(&[0.5, 0.25, 0.25])),
        1,
        &mut Expected,
    );
    merge(&mut list);
    assert_eq!(list, [cohort(50.0, 0), cohort(50.0, 1)]);
    let mut list = Vec::new();
    place(&mut list, 10.0, Some(&Tenure::Months(9)), 4, &mut Expected);
    place(&mut list, 5.0, None, 4, &mut Expected);
    merge(&mut list);
    assert_eq!(list, [cohort(15.0, 4)]);
}

#[test]
fn place_draws_whole_people_multinomially() {
    // 40 people over shares [0.2, 0.3, 0.1, 0.4]: each run places all 40,
    // in whole people, and the count at tenure k is binomial(40, q_k).
    let q = [0.2, 0.3, 0.1, 0.4];
    let n = 40.0;
    let runs = 20_000;
    let mut s = Stochastic::new(ChaCha8Rng::seed_from_u64(11));
    let mut sum = [0.0; 4];
    let mut sq = [0.0; 4];
    for _ in 0..runs {
        let mut list = Vec::new();
        place(&mut list, n, Some(&tenure_shares(&q)), 12, &mut s);
        let mut counts = [0.0; 4];
        for c in &list {
            assert!(c.n.fract() == 0.0 && c.n > 0.0, "{}", c.n);
            counts[c.mil() as usize] += c.n;
        }
        assert_eq!(counts.iter().sum::<f64>(), n);
        for k in 0..4 {
            sum[k] += counts[k];
            sq[k] += counts[k] * counts[k];
        }
    }
    let r = runs as f64;
    for k in 0..4 {
        let mean = sum[k] / r;
        let var = sq[k] / r - mean * mean;
        let (m0, v0) = (n * q[k], n * q[k] * (1.0 - q[k]));
        assert!(
            (mean - m0).abs() < 5.0 * (v0 / r).sqrt(),
            "tenure {k}: mean {mean} vs {m0}"
        );
        assert!(
            (var - v0).abs() < 0.1 * v0,
            "tenure {k}: variance {var} vs {v0}"
        );
    }
}

#[test]
fn vacancy_promotion_steps_levels_top_down_and_others_in_file_order() {
    let scenario = |mode: &str| {
        let text = format!(
            "[scenario]\nname = \"t\"\nstart = \"2024-01\"\nend = \"2024-12\"\n\
             [levels.a]\ninitial = 10\nattrition = 0.1\npromotion = {{ to = \"b\"{mode} }}\n\
             [levels.b]\ninitial = 10\nattrition = 0.1\nauthorised = 10\npromotion = {{ to = \"c\"{mode} }}\n\
             [levels.c]\ninitial = 10\nattrition = 0.1\nauthorised = 10\n\
             [levels.d]\ninitial = 10\nattrition = 0.1\n"
        );
        crate::config::load_str("t.toml", &text, &[])
            .unwrap_or_else(|e| panic!("{e}"))
            .scenario
    };
    assert_eq!(step_order(&scenario(", mode = \"vacancy\"")), [2, 3, 1, 0]);
    assert_eq!(step_order(&scenario(", rate = 0.5")), [0, 1, 2, 3]);
}
