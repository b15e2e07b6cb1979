//! `--jq EXPR`: the JSON a command prints, filtered by a jq program (jaq, a well-kept Rust
//! implementation of jq). Numbers pass through exactly as printed (jaq keeps big integers and
//! decimals as they were written, unlike gh's jq, which rounds); strings print raw; anything
//! else as compact JSON, one value a line.

use std::cell::RefCell;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, unwrap_valr, Compiler, Ctx, Vars};
use jaq_json::Val;

use crate::error::CliError;

type Filter = jaq_core::compile::Filter<jaq_core::Native<data::JustLut<Val>>>;

/// A jq program known to compile.
#[derive(Clone, Debug)]
pub struct JqProgram {
    code: String,
}

impl JqProgram {
    /// Checks `code` before anything else runs: an invalid filter is exit 2 with its position.
    pub fn new(code: &str) -> Result<JqProgram, CliError> {
        compile(code)?;
        Ok(JqProgram {
            code: code.to_string(),
        })
    }

    /// Runs the program on one JSON document; each result is one line to print.
    pub fn run(&self, json: &[u8]) -> anyhow::Result<Vec<String>> {
        let input = jaq_json::read::parse_single(json)
            .map_err(|err| anyhow::anyhow!("--jq: the output is not one JSON value: {err}"))?;
        COMPILED.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.as_ref().is_none_or(|(code, _)| *code != self.code) {
                *cache = Some((self.code.clone(), compile(&self.code)?));
            }
            let (_, filter) = cache.as_ref().expect("compiled just now");
            let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
            let mut lines = Vec::new();
            for value in filter.id.run((ctx, input)).map(unwrap_valr) {
                match value {
                    Ok(Val::TStr(text) | Val::BStr(text)) => {
                        lines.push(String::from_utf8_lossy(&text).into_owned())
                    }
                    Ok(value) => lines.push(value.to_string()),
                    Err(err) => {
                        return Err(CliError::usage(format!("--jq: {err}")).into());
                    }
                }
            }
            Ok(lines)
        })
    }
}

thread_local! {
    /// jaq's values are not `Send`; each thread compiles the program once.
    static COMPILED: RefCell<Option<(String, Filter)>> = const { RefCell::new(None) };
}

fn compile(code: &str) -> Result<Filter, CliError> {
    let defs = jaq_core::defs()
        .chain(jaq_std::defs())
        .chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs())
        .chain(jaq_json::funs());
    let arena = Arena::default();
    let modules = Loader::new(defs)
        .load(&arena, File { code, path: () })
        .map_err(|errors| {
            let mut found = Vec::new();
            for (_, error) in errors {
                match error {
                    jaq_core::load::Error::Io(io) => {
                        found.extend(io.into_iter().map(|(_, text)| text));
                    }
                    jaq_core::load::Error::Lex(lex) => found.extend(
                        lex.into_iter()
                            .map(|(expect, at)| expected(code, expect.as_str(), at)),
                    ),
                    jaq_core::load::Error::Parse(parse) => found.extend(
                        parse
                            .into_iter()
                            .map(|(expect, at)| expected(code, expect.as_str(), at)),
                    ),
                }
            }
            invalid(code, &found)
        })?;
    Compiler::default()
        .with_funs(funs)
        .compile(modules)
        .map_err(|errors| {
            let found: Vec<String> = errors
                .into_iter()
                .flat_map(|(_, undefined)| undefined)
                .map(|(name, kind)| {
                    format!(
                        "undefined {} `{name}` at column {}",
                        kind.as_str(),
                        column(code, name)
                    )
                })
                .collect();
            invalid(code, &found)
        })
}

fn expected(code: &str, what: &str, at: &str) -> String {
    let near = if at.is_empty() {
        "the end".to_string()
    } else {
        format!("`{}`", at.chars().take(12).collect::<String>())
    };
    format!(
        "expected {what} at column {}, near {near}",
        column(code, at)
    )
}

/// 1-based column of `part`, a slice of `code`.
fn column(code: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize)
        .saturating_sub(code.as_ptr() as usize)
        .min(code.len());
    code[..offset].chars().count() + 1
}

fn invalid(code: &str, found: &[String]) -> CliError {
    CliError::usage(format!(
        "invalid --jq filter {code:?}: {}",
        found.join("; ")
    ))
    .with_hint("the filter is jq's language, e.g. --jq '.threadId' or --jq '.steps[] | .name'")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, json: &str) -> Vec<String> {
        JqProgram::new(code).unwrap().run(json.as_bytes()).unwrap()
    }

    #[test]
    fn strings_raw_others_compact_numbers_exact() {
        let doc = r#"{"id": "thr_1", "big": 12345678901234567890123, "ms": "1748390400000", "f": 1.10, "o": {"a": [1, 2]}}"#;
        assert_eq!(run(".id", doc), ["thr_1"]);
        assert_eq!(run(".big", doc), ["12345678901234567890123"]);
        assert_eq!(run(".ms", doc), ["1748390400000"]);
        assert_eq!(run(".f", doc), ["1.10"]);
        assert_eq!(run(".o", doc), [r#"{"a":[1,2]}"#]);
        assert_eq!(run(".o.a[]", doc), ["1", "2"]);
    }

    #[test]
    fn invalid_filters_name_the_column() {
        let err = JqProgram::new(".a |").unwrap_err().to_string();
        assert!(err.contains("column 5"), "{err}");
        let err = JqProgram::new(".a | nosuchfn(1)").unwrap_err().to_string();
        assert!(
            err.contains("undefined filter `nosuchfn` at column 6"),
            "{err}"
        );
    }
}
