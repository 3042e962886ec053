//! The docs keep up with the code: every config field is documented.

#[test]
fn every_config_field_is_in_docs_config_md() {
    let raw = std::fs::read_to_string("src/config/raw.rs").unwrap();
    let docs = std::fs::read_to_string("docs/config.md").unwrap();
    let mut n = 0;
    for line in raw.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("pub ") {
            if let Some((name, _)) = rest.split_once(':') {
                if name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    n += 1;
                    assert!(
                        docs.contains(&format!("`{name}`"))
                            || docs.contains(&format!(".{name}`"))
                            || docs.contains(&format!("[{name}")),
                        "docs/config.md does not document `{name}`"
                    );
                }
            }
        }
    }
    assert!(n > 40, "found only {n} fields: has raw.rs changed shape?");
}
