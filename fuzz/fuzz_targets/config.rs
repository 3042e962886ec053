//! Config loading and validation on arbitrary bytes: never a panic.
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run config -s none` (see docs/robustness.md).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    forcecast::config::fuzz_one(data);
});
