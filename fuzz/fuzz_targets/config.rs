//! A config (with `#set PATH=VALUE` lines as `--set` overrides) through
//! loading, validation, projection and, for small scenarios, a Monte Carlo,
//! a Markov analysis and a goal search: never a panic. See `forcecast::fuzz`.
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run config -s none` (see docs/robustness.md).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    forcecast::fuzz::one(data);
});
