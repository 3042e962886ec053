//! `forcecast rates`: published crude yearly shares of a level (stayed,
//! promoted, left) as the model's annual `attrition` and `promotion.rate`.

use super::Answer;
use crate::analysis::{rates_from_split, yearly_split};
use crate::cli::RatesArgs;
use crate::engine::MonthRates;
use crate::error::{Error, Result};
use crate::format::percent;

pub fn answer(args: &RatesArgs) -> Result<Answer> {
    let (attrition, rate) = rates_from_split(args.stayed, args.promoted, args.left)
        .map_err(|m| Error::Usage(format!("rates: {m}")))?;
    let sum = args.stayed + args.promoted + args.left;
    let split = |a: f64, r: f64| {
        let s = one_level(a, r);
        yearly_split(&MonthRates::new(&s, s.start), 0)
    };
    let back = split(attrition, rate);
    let naive = split(args.left / sum, args.promoted / sum);
    let mut answer = Answer::default();
    answer.say(&format!(
        "Crude yearly shares (normalised): stayed {}, promoted {}, left {}",
        percent(args.stayed / sum),
        percent(args.promoted / sum),
        percent(args.left / sum)
    ));
    answer.say(&format!("attrition = {attrition}"));
    answer.say(&format!("promotion.rate = {rate}"));
    answer.say(&format!(
        "Check: with these rates the model's yearly split is stayed {}, promoted {}, left {}.",
        percent(back.stayed),
        percent(back.promoted),
        percent(back.left)
    ));
    answer.say(&format!(
        "Entering the shares directly (attrition = {}, promotion.rate = {}) would give stayed {}, promoted {}, left {}.",
        args.left / sum,
        args.promoted / sum,
        percent(naive.stayed),
        percent(naive.promoted),
        percent(naive.left)
    ));
    Ok(answer)
}

/// A one-level scenario with these rates (promotion into a second level),
/// so the split comes from the same derivation `run` and `analyze` use.
fn one_level(attrition: f64, rate: f64) -> crate::scenario::Scenario {
    let text = format!(
        "[scenario]\nname = \"rates\"\nstart = \"2000-01\"\nend = \"2000-12\"\n\
         [levels.a]\ninitial = 0\nattrition = {attrition:?}\npromotion = {{ to = \"b\", rate = {rate:?} }}\n\
         [levels.b]\ninitial = 0\nattrition = 0.0\n"
    );
    crate::config::load_str("rates", &text, &[])
        .expect("rates in range make a valid scenario")
        .scenario
}
