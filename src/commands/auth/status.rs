//! `auth status`: where the token comes from and whether the server accepts it (one cheap
//! call, through the same client as every command), never the token.

use anyhow::Context as _;
use serde::Serialize;

use super::{source_location, source_text};
use crate::cli::OutputFormat;
use crate::client::{CallErrorKind, ListQuery};
use crate::config::TokenSource;
use crate::context::Context;
use crate::error::{call_error, report, CliError, ExitStatus};
use crate::output::{kv_table, print_document, print_table};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StatusReport<'a> {
    endpoint: String,
    profile: &'a str,
    token: TokenReport,
    /// `accepted`, `rejected` (UNAUTHENTICATED), `refused` (another refusal) or `unreachable`.
    server: &'static str,
}

#[derive(Serialize)]
struct TokenReport {
    /// `environment`, `token-file`, `keyring`, `fallback-file`, `profile` or `none`.
    source: &'static str,
    location: Option<String>,
}

pub async fn run(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let settings = &ctx.settings;
    let key = settings.store_key.as_ref();
    let check = match ctx.client().await {
        Ok(client) => client
            .list_threads(&ListQuery {
                page_size: 1,
                ..ListQuery::default()
            })
            .await
            .map(drop)
            .map_err(anyhow::Error::from),
        Err(err) => return Err(err),
    };
    let server = match &check {
        Ok(()) => "accepted",
        Err(err) if call_error(err).is_some_and(|c| c.kind == CallErrorKind::Unauthenticated) => {
            "rejected"
        }
        Err(err) if report(err).is_some_and(|r| r.status == ExitStatus::Unreachable) => {
            "unreachable"
        }
        Err(_) => "refused",
    };
    let has_token = settings.token.is_some();
    let document = StatusReport {
        endpoint: settings.endpoint.to_string(),
        profile: settings.profile.as_deref().unwrap_or("default"),
        token: TokenReport {
            source: settings.token_source.name(),
            location: source_location(&settings.token_source, key),
        },
        server,
    };
    if ctx.output == OutputFormat::Table {
        let verdict = match (server, has_token) {
            ("accepted", true) => "accepts the token",
            ("accepted", false) => "answers without a token",
            ("rejected", true) => "rejects the token (UNAUTHENTICATED)",
            ("rejected", false) => "wants a token (UNAUTHENTICATED)",
            ("unreachable", _) => "cannot be reached",
            _ => "refused the check",
        };
        print_table(
            &ctx.printer,
            &kv_table([
                ("endpoint", document.endpoint.clone()),
                ("profile", document.profile.to_string()),
                ("token", source_text(&settings.token_source, key)),
                ("server", verdict.to_string()),
            ]),
        )?;
    } else {
        print_document(&ctx.printer, ctx.output, &document)?;
    }
    match check {
        Ok(()) => Ok(ExitStatus::Success),
        Err(err) if server == "rejected" => {
            let (message, hint) = match &settings.token_source {
                TokenSource::None => (
                    "the server wants a token".to_string(),
                    "sign in with `dodil auth login` (or set DODIL_TOKEN, or pass --token-file PATH)",
                ),
                TokenSource::Environment => (
                    "the server rejected the token in DODIL_TOKEN".to_string(),
                    "check DODIL_TOKEN, or unset it to use the stored token",
                ),
                source => (
                    format!(
                        "the server rejected the token {}",
                        source_text(source, key)
                    ),
                    "sign in again with `dodil auth login`",
                ),
            };
            Err(err.context(CliError::new(ExitStatus::ServerRefused, message).with_hint(hint)))
        }
        Err(err) => Err(err).context("checking the token"),
    }
}
