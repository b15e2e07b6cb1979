//! Local validation of what the user hands us, so bad input is caught before anything is sent:
//! `--input` (inline JSON, @FILE, @-), `--metadata K=V`, `--timeout DUR`, `--callback-url`.

use std::collections::BTreeMap;
use std::io::Read;

use crate::error::CliError;

/// Reads `--input`'s value (inline, `@FILE` or `@-` for stdin) and checks that it is JSON.
/// Returns the text to send, unchanged.
pub fn read_json_arg(flag: &str, value: &str) -> Result<String, CliError> {
    let (text, origin) = if value == "@-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|err| CliError::usage(format!("{flag} @-: cannot read stdin: {err}")))?;
        (text, "stdin".to_string())
    } else if let Some(path) = value.strip_prefix('@') {
        if path.trim().is_empty() {
            return Err(
                CliError::usage(format!("{flag} @: the file name is missing"))
                    .with_hint(format!("{flag} @FILE reads a file, {flag} @- reads stdin")),
            );
        }
        let text = std::fs::read_to_string(path).map_err(|err| {
            CliError::usage(format!("{flag} @{path}: cannot read the file: {err}"))
        })?;
        (text, path.to_string())
    } else {
        (value.to_string(), "inline value".to_string())
    };
    validate_json(&text).map_err(|err| {
        CliError::usage(format!("{flag} is not valid JSON ({origin}): {err}")).with_hint(
            "pass a JSON document, e.g. --input '{\"key\": \"value\"}', @file.json or @- for stdin",
        )
    })?;
    Ok(text)
}

/// `Ok` when `text` is one JSON document; the error names line and column.
pub fn validate_json(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("it is empty".into());
    }
    serde_json::from_str::<serde::de::IgnoredAny>(text)
        .map(|_| ())
        .map_err(|err| {
            let message = err.to_string();
            // serde_json says "… at line L column C"; keep that, it is what the user needs.
            message
        })
}

/// `--metadata K=V` pairs into a map; a repeated key keeps the last value.
pub fn parse_metadata(pairs: &[String]) -> Result<BTreeMap<String, String>, CliError> {
    let mut map = BTreeMap::new();
    for pair in pairs {
        match pair.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                map.insert(key.trim().to_string(), value.to_string());
            }
            _ => {
                return Err(
                    CliError::usage(format!("--metadata {pair:?} is not KEY=VALUE"))
                        .with_hint("e.g. --metadata run=nightly --metadata owner=ops"),
                )
            }
        }
    }
    Ok(map)
}

/// Checks a duration such as `90s`, `5m`, `1h30m`, `250ms`: one or more number-unit pairs.
pub fn validate_duration(flag: &str, text: &str) -> Result<(), CliError> {
    let bad = || {
        CliError::usage(format!("{flag} {text:?} is not a duration"))
            .with_hint("use a number and a unit (ms, s, m, h), e.g. 90s, 5m, 1h30m")
    };
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        rest = &rest[digits..];
        let unit = ["ms", "s", "m", "h"]
            .into_iter()
            .find(|unit| rest.starts_with(unit))
            .ok_or_else(bad)?;
        rest = &rest[unit.len()..];
    }
    Ok(())
}

/// Parses a duration (`90s`, `5m`, `1h30m`, `250ms`) into a `std::time::Duration`.
pub fn parse_duration(flag: &str, text: &str) -> Result<std::time::Duration, CliError> {
    validate_duration(flag, text)?;
    let mut total_ms: u64 = 0;
    let mut rest = text.trim();
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let n: u64 = rest[..digits]
            .parse()
            .map_err(|_| CliError::usage(format!("{flag} {text:?} is too large")))?;
        rest = &rest[digits..];
        let (unit_ms, len) = if rest.starts_with("ms") {
            (1, 2)
        } else if rest.starts_with('s') {
            (1000, 1)
        } else if rest.starts_with('m') {
            (60_000, 1)
        } else {
            (3_600_000, 1)
        };
        total_ms = total_ms.saturating_add(n.saturating_mul(unit_ms));
        rest = &rest[len..];
    }
    Ok(std::time::Duration::from_millis(total_ms))
}

/// A webhook must be an http(s) URL with a host.
pub fn validate_url(flag: &str, text: &str) -> Result<(), CliError> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !rest.contains(char::is_whitespace) =>
        {
            Ok(())
        }
        _ => Err(CliError::usage(format!(
            "{flag} {text:?} is not an http(s) URL"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_name_line_and_column() {
        assert!(validate_json(r#"{"a": [1, 2]}"#).is_ok());
        assert!(validate_json("42").is_ok());
        let err = validate_json("{\n  \"a\": ,\n}").unwrap_err();
        assert!(err.contains("line 2 column"), "{err}");
        assert!(validate_json("  ").is_err());
        assert!(validate_json("{} {}").is_err());
    }

    #[test]
    fn an_at_sign_alone_says_the_file_name_is_missing() {
        let err = read_json_arg("--input", "@").unwrap_err();
        assert_eq!(err.message, "--input @: the file name is missing");
    }

    #[test]
    fn metadata_and_durations() {
        let map = parse_metadata(&["run=nightly".into(), "x=a=b".into()]).unwrap();
        assert_eq!(map["run"], "nightly");
        assert_eq!(map["x"], "a=b");
        assert!(parse_metadata(&["novalue".into()]).is_err());
        assert!(parse_metadata(&["=v".into()]).is_err());
        for ok in ["5m", "1h30m", "250ms", "90s"] {
            assert!(validate_duration("--timeout", ok).is_ok(), "{ok}");
        }
        for bad in ["", "5", "m5", "5 m", "5d", "-1s"] {
            assert!(validate_duration("--timeout", bad).is_err(), "{bad}");
        }
        assert_eq!(parse_duration("--t", "1m30s").unwrap().as_millis(), 90_000);
        assert_eq!(parse_duration("--t", "250ms").unwrap().as_millis(), 250);
    }

    /// Any JSON value, nested a little: what `--input` must always accept.
    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::vec((".{0,6}", inner), 0..4)
                    .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Valid JSON is always accepted, compact or pretty, and handed on unchanged.
        #[test]
        fn valid_json_is_always_accepted(value in json_value(), pretty in proptest::bool::ANY) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            proptest::prop_assert_eq!(read_json_arg("--input", &text).unwrap(), text);
        }

        /// Arbitrary text never panics; a rejection of non-blank text names line and column.
        #[test]
        fn json_errors_always_name_a_place(text in proptest::prop_oneof![".{0,64}", "[\\[\\]{}\",:0-9a-z \n]{0,64}"]) {
            if let Err(err) = validate_json(&text) {
                if !text.trim().is_empty() {
                    proptest::prop_assert!(err.contains("line ") && err.contains("column "), "{}", err);
                }
            }
        }

        /// `--metadata` never panics; accepted pairs keep the value after the first `=` exactly.
        #[test]
        fn metadata_never_panics(pairs in proptest::collection::vec(".{0,16}", 0..6)) {
            match parse_metadata(&pairs) {
                Ok(map) => {
                    for pair in &pairs {
                        let (key, value) = pair.split_once('=').unwrap();
                        proptest::prop_assert!(!key.trim().is_empty());
                        // The last pair with this key wins.
                        let last = pairs.iter().rev().find_map(|p| {
                            p.split_once('=').filter(|(k, _)| k.trim() == key.trim()).map(|(_, v)| v)
                        });
                        proptest::prop_assert_eq!(map.get(key.trim()).map(String::as_str), last);
                        let _ = value;
                    }
                }
                Err(err) => proptest::prop_assert!(err.message.contains("KEY=VALUE")),
            }
        }

        /// Durations, against a reference written independently of the parser (runs of digits
        /// and of non-digits): validate accepts exactly the texts made of number-unit pairs;
        /// parse accepts exactly those whose numbers fit in a u64, and gives the pairs' sum
        /// (saturated); that value, written back as `…h…m…s…ms`, parses to itself.
        #[test]
        fn durations_agree_with_a_reference(text in proptest::prop_oneof![
            ".{0,16}",
            " ?([0-9]{1,22}(ms|s|m|h|d|sm|ms?s)?){0,4} ?",
        ]) {
            /// What a duration text means, worked out apart from the parser: `None` when it
            /// is not one or more number-unit pairs (`ms`, `s`, `m`, `h`), `Some(None)` when a
            /// number does not fit in a u64, else the total in milliseconds, saturated.
            fn reference_duration(text: &str) -> Option<Option<u128>> {
                let mut runs: Vec<(bool, String)> = Vec::new();
                for c in text.trim().chars() {
                    match runs.last_mut() {
                        Some((digits, run)) if *digits == c.is_ascii_digit() => run.push(c),
                        _ => runs.push((c.is_ascii_digit(), c.to_string())),
                    }
                }
                if runs.is_empty() || runs.len() % 2 == 1 || !runs[0].0 {
                    return None;
                }
                let mut total: Option<u128> = Some(0);
                for pair in runs.chunks(2) {
                    let unit_ms: u128 = match pair[1].1.as_str() {
                        "ms" => 1,
                        "s" => 1000,
                        "m" => 60_000,
                        "h" => 3_600_000,
                        _ => return None,
                    };
                    total = match (total, pair[0].1.parse::<u64>()) {
                        (Some(sum), Ok(n)) => Some(sum + u128::from(n) * unit_ms),
                        _ => None,
                    };
                }
                Some(total.map(|ms| ms.min(u128::from(u64::MAX))))
            }

            let expected = reference_duration(&text);
            let valid = validate_duration("--timeout", &text).is_ok();
            let parsed = parse_duration("--timeout", &text).ok().map(|d| d.as_millis());
            proptest::prop_assert_eq!(valid, expected.is_some(), "validate {:?}", text);
            proptest::prop_assert_eq!(parsed, expected.flatten(), "parse {:?}", text);
            if let Some(ms) = parsed.filter(|ms| *ms < u128::from(u64::MAX)) {
                let rendered = format!(
                    "{}h{}m{}s{}ms",
                    ms / 3_600_000,
                    ms / 60_000 % 60,
                    ms / 1000 % 60,
                    ms % 1000
                );
                let again = parse_duration("--timeout", &rendered).map(|d| d.as_millis());
                proptest::prop_assert_eq!(again.ok(), Some(ms), "{:?} → {:?}", text, rendered);
            }
        }

        /// Number-unit pairs add up.
        #[test]
        fn durations_add_up(parts in proptest::collection::vec((0u64..100_000, 0usize..4), 1..4)) {
            let units = [("ms", 1u64), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
            let text: String = parts.iter().map(|(n, u)| format!("{n}{}", units[*u].0)).collect();
            let expected: u64 = parts.iter().map(|(n, u)| n * units[*u].1).sum();
            proptest::prop_assert_eq!(parse_duration("--t", &text).unwrap().as_millis() as u64, expected);
        }
    }

    #[test]
    fn urls() {
        assert!(validate_url("--callback-url", "https://example.com/hook").is_ok());
        assert!(validate_url("--callback-url", "ftp://x").is_err());
        assert!(validate_url("--callback-url", "https://").is_err());
    }
}
