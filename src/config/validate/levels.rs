//! `[levels.NAME]`: headcounts, attrition and promotion, and promotion chains
//! that end.

use super::check::{p, tenure, Checker, Names};
use crate::config::raw::{parse_fiscal_year_key, RawLevel, RawQualification};
use crate::config::suggest::did_you_mean;
use crate::params::{Param, Range};
use crate::scenario::{Authorised, Level, Promotion, PromotionMode, Qualification};
use indexmap::IndexMap;
use std::collections::BTreeMap;

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
            let mut unknown_mode = false;
            let mode = match pr.mode.as_deref() {
                None | Some("push") => PromotionMode::Push,
                Some("vacancy") => PromotionMode::Vacancy,
                Some(other) => {
                    unknown_mode = true;
                    c.err(
                        pp("mode"),
                        format!(
                            "'{other}'{} is not a promotion mode: use push (at `rate`) or vacancy (into the target's vacancies)",
                            did_you_mean(other, ["push", "vacancy"])
                        ),
                    );
                    PromotionMode::Push
                }
            };
            let rate = match (pr.rate, mode) {
                (Some(r), _) => c.num(
                    pp("rate"),
                    r,
                    Param::PromotionRate(0).range(),
                    "promotion rate (annual probability)",
                ),
                (None, _) if unknown_mode => 1.0,
                (None, PromotionMode::Vacancy) => 1.0,
                (None, PromotionMode::Push) => {
                    c.err(
                        pp("rate"),
                        "`rate` is required for a push promotion (mode = \"vacancy\" promotes into vacancies instead)",
                    );
                    0.0
                }
            };
            let after_months = c.months(pp("after_months"), pr.after_months, 0);
            Promotion {
                to: to.unwrap_or(0),
                rate,
                after_months,
                mode,
            }
        });
        promotes_to.push(to_resolved);
        let authorised = authorised(c, name, lv);
        let qualification = lv
            .qualification
            .as_ref()
            .map(|q| qualification(c, name, q, names));
        levels.push(Level {
            name: name.clone(),
            initial,
            initial_tenure,
            attrition,
            promotion,
            authorised,
            qualification,
        });
    }
    // A vacancy promotion fills the target's authorised posts: it needs some.
    for (i, (name, lv)) in raw.iter().enumerate() {
        let vacancy = levels[i]
            .promotion
            .as_ref()
            .is_some_and(|pr| pr.mode == PromotionMode::Vacancy);
        if let (true, Some(to)) = (vacancy, promotes_to[i]) {
            if levels[to].authorised.is_none()
                && !c.failed(&format!("levels.{}.authorised", levels[to].name))
            {
                let target = lv.promotion.as_ref().map_or("", |pr| pr.to.as_str());
                c.err(
                    p(&["levels", name, "promotion", "mode"]),
                    format!("a vacancy promotion fills the target's authorised posts: give level '{target}' `authorised`"),
                );
            }
        }
    }
    for start in cycles(&promotes_to) {
        c.err(
            p(&["levels", &levels[start].name, "promotion", "to"]),
            "promotion cycle: following `to` from this level comes back to it",
        );
    }
    levels
}

/// The checked `qualification` of level `name`.
fn qualification(
    c: &mut Checker,
    name: &str,
    q: &RawQualification,
    names: &Names,
) -> Qualification {
    let at = |f: &str| p(&["levels", name, "qualification", f]);
    let months = c.months(at("months"), q.months, 1);
    if q.mentors.is_empty() {
        c.err(at("mentors"), "name at least one level whose people mentor");
    }
    let mut mentors = Vec::new();
    for (i, m) in q.mentors.iter().enumerate() {
        let path = p(&["levels", name, "qualification", "mentors", &i.to_string()]);
        if let Some(l) = names.level(c, path.clone(), m) {
            if mentors.contains(&l) {
                c.err(path, format!("'{m}' is listed twice"));
            } else {
                mentors.push(l);
            }
        }
    }
    let per_mentor = c.num(
        at("per_mentor"),
        q.per_mentor,
        // The same range as students per instructor: any positive number.
        Param::StudentsPerInstructor(0).range(),
        "trainees per mentor",
    );
    Qualification {
        months,
        mentors,
        per_mentor,
        promoted_in: q.promoted_in,
    }
}

/// The checked `authorised` and `authorised_by_fiscal_year` of a level.
fn authorised(c: &mut Checker, name: &str, lv: &RawLevel) -> Option<Authorised> {
    let range = Param::Authorised(0).range();
    let what = "authorised posts";
    let per_year = lv
        .authorised
        .map(|a| c.num(p(&["levels", name, "authorised"]), a, range, what));
    let mut by_fiscal_year = BTreeMap::new();
    for (k, v) in &lv.authorised_by_fiscal_year {
        let path = p(&["levels", name, "authorised_by_fiscal_year", k]);
        match parse_fiscal_year_key(k) {
            Some(fy) => {
                by_fiscal_year.insert(fy, c.num(path, *v, range, what));
            }
            None => c.err(
                path,
                format!("'{k}' is not a fiscal year: keys are four-digit years, e.g. 2027 = 400"),
            ),
        }
    }
    match per_year {
        Some(per_year) => Some(Authorised {
            per_year,
            by_fiscal_year,
        }),
        None if !lv.authorised_by_fiscal_year.is_empty() => {
            c.err(
                p(&["levels", name, "authorised_by_fiscal_year"]),
                "give `authorised` too: it holds for the fiscal years not listed",
            );
            None
        }
        None => None,
    }
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
