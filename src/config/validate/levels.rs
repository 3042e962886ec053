//! `[levels.NAME]`: headcounts, attrition and promotion, and promotion chains
//! that end.

use super::check::{p, tenure, Checker, Names};
use crate::config::raw::RawLevel;
use crate::params::{Param, Range};
use crate::scenario::{Level, Promotion};
use indexmap::IndexMap;

pub(super) fn check_levels(
    c: &mut Checker,
    raw: &IndexMap<String, RawLevel>,
    names: &Names,
) -> Vec<Level> {
    let mut levels = Vec::new();
    // Where each level promotes to, when that resolved: only those take part
    // in the cycle check, so a misspelt `to` is one error, not a cycle too.
    let mut promotes_to = Vec::new();
    for (name, lv) in raw {
        let at = |f: &str| p(&["levels", name, f]);
        let initial = c.num(
            at("initial"),
            lv.initial,
            Range {
                integer: true,
                ..Param::Initial(0).range()
            },
            "initial headcount",
        );
        let attrition = c.num(
            at("attrition"),
            lv.attrition,
            Param::Attrition(0).range(),
            "attrition (annual probability of leaving)",
        );
        let initial_tenure = lv
            .initial_tenure
            .as_ref()
            .map(|t| tenure(c, at("initial_tenure"), t));
        let mut to_resolved = None;
        let promotion = lv.promotion.as_ref().map(|pr| {
            let pp = |f: &str| p(&["levels", name, "promotion", f]);
            let to = names.level(c, pp("to"), &pr.to);
            if pr.to == *name {
                c.err(pp("to"), "a level cannot promote into itself");
            } else {
                to_resolved = to;
            }
            let rate = c.num(
                pp("rate"),
                pr.rate,
                Param::PromotionRate(0).range(),
                "promotion rate (annual probability)",
            );
            let after_months = c.months(pp("after_months"), pr.after_months, 0);
            Promotion {
                to: to.unwrap_or(0),
                rate,
                after_months,
            }
        });
        promotes_to.push(to_resolved);
        levels.push(Level {
            name: name.clone(),
            initial,
            initial_tenure,
            attrition,
            promotion,
        });
    }
    for start in cycles(&promotes_to) {
        c.err(
            p(&["levels", &levels[start].name, "promotion", "to"]),
            "promotion cycle: following `to` from this level comes back to it",
        );
    }
    levels
}

/// The entries from which following `next` comes back to themselves: each
/// entry points to at most one other, so a chain either ends or cycles.
pub(super) fn cycles(next: &[Option<usize>]) -> Vec<usize> {
    (0..next.len())
        .filter(|&start| {
            let mut cur = start;
            for _ in 0..next.len() {
                match next[cur] {
                    Some(n) if n != cur => cur = n,
                    _ => return false,
                }
                if cur == start {
                    return true;
                }
            }
            false
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::cycles;

    #[test]
    fn cycles_finds_every_member_and_nothing_else() {
        assert_eq!(cycles(&[Some(1), Some(0), None]), vec![0, 1]);
        assert_eq!(cycles(&[Some(1), Some(2), None]), Vec::<usize>::new());
        assert_eq!(cycles(&[Some(1), Some(2), Some(1)]), vec![1, 2]);
        assert_eq!(
            cycles(&[Some(0)]),
            Vec::<usize>::new(),
            "self: reported apart"
        );
        assert_eq!(cycles(&[]), Vec::<usize>::new());
    }
}
