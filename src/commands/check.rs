//! `forcecast check CONFIG...`: validate only.

use crate::cli::CheckArgs;
use crate::config;
use crate::error::Result;

pub fn check(args: &CheckArgs) -> Result<i32> {
    let mut failed = 0;
    for path in &args.configs {
        match config::load(Some(path), &args.set) {
            Ok(loaded) => println!(
                "OK    {} (scenario '{}', config {})",
                path.display(),
                loaded.scenario.name,
                loaded.short_hash()
            ),
            Err(errors) => {
                failed += 1;
                println!("ERROR {}", path.display());
                for e in &errors.0 {
                    eprintln!("error: {e}");
                }
            }
        }
    }
    Ok(if failed > 0 { 2 } else { 0 })
}
