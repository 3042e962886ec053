//! Replays the fuzz corpus (seeds and anything the fuzzer found) as a normal test.

#[test]
fn fuzz_corpus_replays_without_panic() {
    let mut n = 0;
    for dir in ["fuzz/corpus/config", "fuzz/artifacts/config"] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            if std::panic::catch_unwind(|| forcecast::config::fuzz_one(&data)).is_err() {
                panic!("panic on {}", path.display());
            }
            n += 1;
        }
    }
    assert!(n >= 3, "the seed corpus is missing");
}
