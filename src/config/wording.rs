//! Serde's messages in a planner's words. Serde describes Rust types
//! ("invalid type: string \"600\", expected f64"); a planner editing TOML
//! needs "expected a number, found the text \"600\" (remove the quotes)".

use super::suggest::closest;

/// Rewrites a deserialization message; messages it does not recognise pass
/// through unchanged.
pub fn plain(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return unknown_field(message, rest);
    }
    // `promotion = []`: serde reads a list as a struct's fields in order.
    if let Some(rest) = message.strip_prefix("invalid length ") {
        if rest.contains(", expected struct ") {
            return "expected a table, found a list".into();
        }
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((found, expected)) = rest.rsplit_once(", expected ") {
                return wrong_type(found, expected);
            }
        }
    }
    message.to_string()
}

/// The names quoted in backticks, in order.
fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

/// "unknown field `atrition`, expected one of `initial`, `attrition`, ..."
/// gains "did you mean `attrition`?" when one allowed name is close.
fn unknown_field(message: &str, rest: &str) -> String {
    let names = backticked(rest);
    let Some((&field, allowed)) = names.split_first() else {
        return message.to_string();
    };
    let Some((_, expected)) = rest.split_once(", ") else {
        return message.to_string();
    };
    match closest(field, allowed.iter().copied()) {
        Some(meant) => format!("unknown field `{field}`: did you mean `{meant}`? ({expected})"),
        None => message.to_string(),
    }
}

/// What serde expected, as TOML calls it.
fn expected_words(expected: &str) -> &str {
    match expected {
        "f64" | "f32" => "a number",
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number >= 0",
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number",
        "a string" => "text in quotes",
        "a sequence" => "a list, e.g. [1, 2]",
        "a boolean" => "true or false",
        "a map" => "a table",
        e if e.starts_with("struct ") => "a table",
        e => e,
    }
}

/// "found ..." with a hint when the fix is mechanical.
fn wrong_type(found: &str, expected: &str) -> String {
    let want = expected_words(expected);
    let wants_number = matches!(want, "a number" | "a whole number >= 0" | "a whole number");
    let (what, hint) = if let Some(text) = found.strip_prefix("string ") {
        let inner = text.trim_matches('"');
        let hint = if wants_number && inner.trim().parse::<f64>().is_ok() {
            " (remove the quotes)"
        } else {
            ""
        };
        (format!("the text {text}"), hint.to_string())
    } else if let Some(n) = literal(found, "integer ") {
        let hint = if want == "text in quotes" {
            format!(" (put it in quotes: \"{n}\")")
        } else {
            String::new()
        };
        (format!("the whole number {n}"), hint)
    } else if let Some(x) = literal(found, "floating point ") {
        // As the planner would write it: 1e12 not "1000000000000.0".
        let x = x.parse::<f64>().map_or(x.to_string(), |v| v.to_string());
        (format!("the number {x}"), String::new())
    } else if let Some(b) = literal(found, "boolean ") {
        (b.to_string(), String::new())
    } else {
        let what = match found {
            "sequence" => "a list",
            "map" => "a table",
            other => other,
        };
        (what.to_string(), String::new())
    };
    format!("expected {want}, found {what}{hint}")
}

/// The value in "integer `5`".
fn literal<'a>(found: &'a str, kind: &str) -> Option<&'a str> {
    found.strip_prefix(kind).map(|v| v.trim_matches('`'))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn types_are_named_as_toml_names_them() {
        assert_eq!(
            plain("invalid type: string \"600\", expected f64"),
            "expected a number, found the text \"600\" (remove the quotes)"
        );
        assert_eq!(
            plain("invalid type: string \"fifty\", expected f64"),
            "expected a number, found the text \"fifty\""
        );
        assert_eq!(
            plain("invalid type: integer `2028`, expected a string"),
            "expected text in quotes, found the whole number 2028 (put it in quotes: \"2028\")"
        );
        assert_eq!(
            plain("invalid value: integer `-3`, expected u32"),
            "expected a whole number >= 0, found the whole number -3"
        );
        assert_eq!(
            plain("invalid type: floating point `1.5`, expected u32"),
            "expected a whole number >= 0, found the number 1.5"
        );
        assert_eq!(
            plain("invalid type: sequence, expected struct RawLevel"),
            "expected a table, found a list"
        );
        assert_eq!(
            plain("invalid length 0, expected struct RawPromotion with 3 elements"),
            "expected a table, found a list"
        );
        assert_eq!(
            plain("invalid type: floating point `1000000000000.0`, expected a string"),
            "expected text in quotes, found the number 1000000000000"
        );
        assert_eq!(
            plain("invalid type: string \"x\", expected a sequence"),
            "expected a list, e.g. [1, 2], found the text \"x\""
        );
    }

    #[test]
    fn unknown_fields_suggest_the_field_meant() {
        assert_eq!(
            plain("unknown field `atrition`, expected one of `initial`, `attrition`, `promotion`"),
            "unknown field `atrition`: did you mean `attrition`? (expected one of `initial`, `attrition`, `promotion`)"
        );
        let far = "unknown field `retire`, expected one of `initial`, `attrition`, `promotion`";
        assert_eq!(plain(far), far);
        assert_eq!(plain("missing field `initial`"), "missing field `initial`");
    }
}
