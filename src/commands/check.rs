//! `forcecast check CONFIG...`: validate only.

use super::Answer;
use crate::cli::CheckArgs;
use crate::config;
use crate::error::{Result, EXIT_USAGE};

pub fn answer(args: &CheckArgs) -> Result<Answer> {
    let mut answer = Answer::default();
    for path in &args.configs {
        match config::load(Some(path), &args.set) {
            Ok(loaded) => answer.say(&format!(
                "OK    {} (scenario '{}', config {})",
                path.display(),
                loaded.scenario.name,
                loaded.short_hash()
            )),
            Err(errors) => {
                answer.exit_code = EXIT_USAGE;
                answer.say(&format!("ERROR {}", path.display()));
                for e in &errors.0 {
                    answer.error(&e.to_string());
                }
            }
        }
    }
    Ok(answer)
}
