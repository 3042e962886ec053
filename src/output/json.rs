//! JSON: any serde value, pretty-printed with a trailing newline, floats in
//! shortest round-trip form, and never `-0.0` (it is written as `0.0`).

use super::Exporter;
use anyhow::Result;
use serde_json::Value;

/// Writes a JSON value.
pub struct Json;

impl Exporter for Json {
    type Input = Value;
    const EXTENSION: &'static str = "json";

    fn serialize(&self, value: &Value) -> Result<Vec<u8>> {
        let mut value = value.clone();
        unsigned_zeros(&mut value);
        let mut bytes = serde_json::to_vec_pretty(&value)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// Turns every `-0.0` in `v` into `0.0`, so no file says a count is "minus zero".
fn unsigned_zeros(v: &mut Value) {
    match v {
        Value::Number(n) if n.as_f64() == Some(0.0) && n.is_f64() => {
            if let Some(zero) = serde_json::Number::from_f64(0.0) {
                *n = zero;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unsigned_zeros),
        Value::Object(map) => map.values_mut().for_each(unsigned_zeros),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_negative_zero() {
        let v = serde_json::json!({"a": -0.0, "b": [1.5, -0.0], "c": {"d": -2.0}});
        let text = String::from_utf8(Json.serialize(&v).unwrap()).unwrap();
        assert!(!text.contains("-0"), "{text}");
        assert!(text.contains("-2.0"), "{text}");
        assert!(text.ends_with("}\n"));
    }
}
