//! Plain Rust types for what the API returns. Generated proto types stop at `client/`; commands,
//! the printer and `--save` work with these. `Serialize` gives the API's JSON shape: camelCase
//! names, full enum names, int64 as numbers, JSON payloads embedded as JSON values.

pub mod event;
pub mod step_event;
pub mod step_tree;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Serialize, Serializer};

mod result;

pub use event::{EventKind, ThreadEvent};
pub use result::{
    DataChunk, OutputMessage, OutputMeta, StepDetail, StepDiagnostics, StepMessage, StepSummary,
    ThreadResult, YieldedValue,
};

/// Defines a status enum that survives values outside the contract (`Unknown(n)`), because a newer
/// server may send them and the client must neither crash nor treat them as terminal.
macro_rules! status_enum {
    ($name:ident, $prefix:literal, { $($variant:ident = $n:literal => $short:literal),* $(,)? }) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)*
            Unknown(i32),
        }

        impl $name {
            pub fn from_i32(n: i32) -> Self {
                match n {
                    $($n => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }

            // Generated for both status enums; not every one uses each.
            #[allow(dead_code)]
            pub fn as_i32(self) -> i32 {
                match self {
                    $(Self::$variant => $n,)*
                    Self::Unknown(n) => n,
                }
            }

            /// Lower-case short name (`running`), or `unknown(<n>)`.
            pub fn short_name(self) -> String {
                match self {
                    $(Self::$variant => $short.to_string(),)*
                    Self::Unknown(n) => format!("unknown({n})"),
                }
            }

            /// The full enum name as the API spells it (`THREAD_STATUS_RUNNING`), or `unknown(<n>)`.
            pub fn full_name(self) -> String {
                match self {
                    $(Self::$variant => concat!($prefix, stringify!($variant)).to_ascii_uppercase(),)*
                    Self::Unknown(n) => format!("unknown({n})"),
                }
            }

            /// Every short name that a user may type, in contract order (UNSPECIFIED excluded).
            // Generated for both status enums; not every one uses each.
            #[allow(dead_code)]
            pub fn known_short_names() -> Vec<&'static str> {
                [$($short),*].into_iter().filter(|s| *s != "unspecified").collect()
            }

            /// Parses a short name (`failed`) or the full enum name (`THREAD_STATUS_FAILED`),
            /// case-insensitively. UNSPECIFIED is not something to ask for.
            // Generated for both status enums; not every one uses each.
            #[allow(dead_code)]
            pub fn parse_user(text: &str) -> Option<Self> {
                let lower = text.trim().to_ascii_lowercase();
                let short = lower.strip_prefix(&$prefix.to_ascii_lowercase()).unwrap_or(&lower);
                let found = match short {
                    $($short => Some(Self::$variant),)*
                    _ => None,
                };
                found.filter(|status| *status != Self::Unspecified)
            }
        }

        /// Value 0 (UNSPECIFIED), as protobuf defaults it.
        impl Default for $name {
            fn default() -> Self {
                Self::from_i32(0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.short_name())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.full_name())
            }
        }
    };
}

status_enum!(ThreadStatus, "THREAD_STATUS_", {
    Unspecified = 0 => "unspecified",
    Pending = 1 => "pending",
    Running = 2 => "running",
    Completed = 3 => "completed",
    Failed = 4 => "failed",
    Cancelled = 5 => "cancelled",
    Paused = 6 => "paused",
});

status_enum!(StepStatus, "STEP_STATUS_", {
    Unspecified = 0 => "unspecified",
    Pending = 1 => "pending",
    Running = 2 => "running",
    Completed = 3 => "completed",
    Failed = 4 => "failed",
    Skipped = 5 => "skipped",
    Cancelled = 6 => "cancelled",
    Paused = 7 => "paused",
});

impl ThreadStatus {
    /// COMPLETED, FAILED and CANCELLED end a thread; nothing else does (unknown values included).
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Cancelled)
    }
}

/// A thread to create, as the user described it (input already validated as JSON).
#[derive(Clone, Debug, Default)]
pub struct NewThread {
    pub script_name: String,
    /// 0 = the script's active version.
    pub version: i32,
    /// JSON text; empty for none.
    pub input_json: String,
    pub timeout: String,
    pub metadata: BTreeMap<String, String>,
    pub callback_url: String,
    pub load_env: bool,
}

/// What CreateThread answers.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedThread {
    pub thread_id: String,
    pub status: ThreadStatus,
    pub created_at_ms: i64,
}

/// A thread as GetThread and ListThreads describe it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Thread {
    pub thread_id: String,
    pub script_name: String,
    pub script_version: i32,
    pub status: ThreadStatus,
    pub current_step_path: String,
    pub total_steps: i32,
    pub current_step_name: String,
    pub metadata: BTreeMap<String, String>,
    pub error: String,
    pub created_at_ms: i64,
    pub started_at_ms: i64,
    pub finished_at_ms: i64,
    pub organization_name: String,
}

impl Thread {
    /// Run time so far (or in total once finished), if the thread has started.
    pub fn duration_ms(&self, now_ms: i64) -> Option<i64> {
        if self.started_at_ms <= 0 {
            return None;
        }
        let end = if self.finished_at_ms > 0 {
            self.finished_at_ms
        } else {
            now_ms
        };
        Some((end - self.started_at_ms).max(0))
    }
}

/// A file a thread produced, as ListArtifacts describes it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Artifact {
    pub name: String,
    pub path: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Short-lived pre-signed URL: fetch promptly, never store.
    pub download_url: String,
}

/// `serialize_with` for JSON payload bytes: embedded as a JSON value (see [`json_payload`]).
pub(crate) fn embed_json<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    json_payload(bytes).serialize(serializer)
}

/// Embeds bytes that hold JSON as a JSON value; bytes that do not parse become a string (lossy
/// UTF-8), so `-o json` never hides data behind base64.
pub fn json_payload(bytes: &[u8]) -> serde_json::Value {
    if bytes.is_empty() {
        return serde_json::Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_round_trip() {
        assert_eq!(ThreadStatus::Running.full_name(), "THREAD_STATUS_RUNNING");
        assert_eq!(StepStatus::Skipped.full_name(), "STEP_STATUS_SKIPPED");
        assert_eq!(
            ThreadStatus::parse_user("FAILED"),
            Some(ThreadStatus::Failed)
        );
        assert_eq!(
            ThreadStatus::parse_user("thread_status_paused"),
            Some(ThreadStatus::Paused)
        );
        assert_eq!(ThreadStatus::parse_user("THREAD_STATUS_UNSPECIFIED"), None);
        assert_eq!(ThreadStatus::parse_user("done"), None);
        assert_eq!(ThreadStatus::from_i32(42).short_name(), "unknown(42)");
        assert!(!ThreadStatus::from_i32(42).is_terminal());
        assert_eq!(ThreadStatus::from_i32(3).as_i32(), 3);
    }

    #[test]
    fn json_payload_embeds_or_falls_back() {
        assert_eq!(json_payload(br#"{"a":1}"#), serde_json::json!({"a": 1}));
        assert_eq!(json_payload(b"not json"), serde_json::json!("not json"));
        assert_eq!(json_payload(b""), serde_json::Value::Null);
    }
}
