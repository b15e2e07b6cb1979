//! `auth logout`: forgets the token stored for this profile and endpoint.

use super::store_key;
use crate::config::TokenSource;
use crate::context::Context;
use crate::credentials::{self, SERVICE};
use crate::error::ExitStatus;
use crate::output::terminal_safe;

pub fn run(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let printer = &ctx.printer;
    let Ok(key) = store_key(&ctx.settings) else {
        printer.status("nothing to forget: the embedded dev server is never given a stored token");
        return Ok(ExitStatus::Success);
    };
    let forgotten = credentials::forget(key, printer)?;
    let mut removed = Vec::new();
    if forgotten.keyring {
        removed.push(format!(
            "the keyring entry (service {SERVICE}, user {})",
            key.user()
        ));
    }
    if let Some(file) = &forgotten.file {
        removed.push(terminal_safe(&file.to_string_lossy()).into_owned());
    }
    if let Some(why) = &forgotten.keyring_unanswered {
        printer.warn(&format!(
            "the keyring did not answer ({why}): its entry (service {SERVICE}, user {}) may still \
             hold the token; dodil no longer uses it, and your keyring's own tool can delete it",
            key.user()
        ));
    }
    if removed.is_empty() {
        if forgotten.keyring_unanswered.is_none() {
            printer.status(&format!("no token was stored for {}", key.user()));
        }
    } else {
        printer.status(&format!(
            "{} signed out of {}: removed {}",
            printer.paint_stderr("✔", "32;1"),
            ctx.settings.endpoint,
            removed.join(" and ")
        ));
    }
    if ctx.settings.token_source == TokenSource::Environment {
        printer.warn("DODIL_TOKEN is still set: commands go on sending it");
    }
    Ok(ExitStatus::Success)
}
