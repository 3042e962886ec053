//! TOML configs the tool writes for itself to read back (`calibrated.toml`):
//! the text as composed, with exactly one trailing newline.

use super::Exporter;
use anyhow::Result;

/// Writes a config's TOML text.
pub struct Toml;

impl Exporter for Toml {
    type Input = String;
    const EXTENSION: &'static str = "toml";

    fn serialize(&self, text: &String) -> Result<Vec<u8>> {
        let mut bytes = text.trim_end().as_bytes().to_vec();
        bytes.push(b'\n');
        Ok(bytes)
    }
}
