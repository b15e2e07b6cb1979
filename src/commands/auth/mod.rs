//! `dodil auth login | status | logout`: a token kept between runs, keyed by profile and
//! endpoint (see `crate::credentials`).

mod login;
mod logout;
mod status;

use crate::cli::AuthCommand;
use crate::config::{Settings, TokenSource};
use crate::context::Context;
use crate::credentials::{StoreKey, SERVICE};
use crate::error::{CliError, ExitStatus};
use crate::output::terminal_safe;

pub async fn dispatch(ctx: &Context, command: AuthCommand) -> anyhow::Result<ExitStatus> {
    match command {
        AuthCommand::Login(args) => login::run(ctx, &args),
        AuthCommand::Status => status::run(ctx).await,
        AuthCommand::Logout => logout::run(ctx),
    }
}

/// The key of the endpoint a login or logout is for; `embedded` has none.
fn store_key(settings: &Settings) -> Result<&StoreKey, CliError> {
    settings.store_key.as_ref().ok_or_else(|| {
        CliError::usage("the embedded dev server is never given a stored token").with_hint(
            "it wants one only when DODIL_DEVSERVER_TOKEN is set: give the client the same in \
             DODIL_TOKEN",
        )
    })
}

/// Where the token comes from, for people: `from the keyring (service dodil, user …)`.
fn source_text(source: &TokenSource, key: Option<&StoreKey>) -> String {
    let path = |p: &std::path::Path| terminal_safe(&p.to_string_lossy()).into_owned();
    match source {
        TokenSource::Environment => "from DODIL_TOKEN".into(),
        TokenSource::TokenFile(file) => format!("from --token-file {}", path(file)),
        TokenSource::Keyring => format!(
            "from the keyring (service {SERVICE}, user {})",
            key.map_or("?", |k| k.user())
        ),
        TokenSource::StoredFile(file) => format!("from {} (stored by auth login)", path(file)),
        TokenSource::Profile { name, path: file } => {
            format!(
                "from profile {}'s token_file {}",
                terminal_safe(name),
                path(file)
            )
        }
        TokenSource::None => "none".into(),
    }
}

/// Where the token is (for `-o json`): a path, the keyring's names, or the variable.
fn source_location(source: &TokenSource, key: Option<&StoreKey>) -> Option<String> {
    match source {
        TokenSource::Environment => Some("DODIL_TOKEN".into()),
        TokenSource::TokenFile(file)
        | TokenSource::StoredFile(file)
        | TokenSource::Profile { path: file, .. } => Some(file.to_string_lossy().into_owned()),
        TokenSource::Keyring => key.map(|k| format!("service {SERVICE}, user {}", k.user())),
        TokenSource::None => None,
    }
}
