//! `auth login`: a token from stdin (or a prompt without echo), kept for this profile and
//! endpoint.

use std::io::{BufRead, IsTerminal};

use serde::Serialize;

use super::store_key;
use crate::cli::{LoginArgs, OutputFormat};
use crate::config::{Token, TokenSource};
use crate::context::Context;
use crate::credentials::{self, Place, SERVICE};
use crate::error::{CliError, ExitStatus};
use crate::output::{print_document, terminal_safe};

/// Longer than any bearer token a header carries; guards against piping in a file by mistake.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginReport<'a> {
    endpoint: String,
    profile: &'a str,
    /// `keyring` or `fallback-file`.
    stored: &'static str,
    /// The keyring's names, or the file's path.
    location: String,
}

pub fn run(ctx: &Context, args: &LoginArgs) -> anyhow::Result<ExitStatus> {
    if !args.refused.is_empty() {
        // Never quote what was given: it may be the token.
        return Err(CliError::usage(
            "auth login takes no token on the command line (every user can read it there)",
        )
        .with_hint("pipe it in: dodil auth login --with-token < FILE (or run `dodil auth login` to be prompted)")
        .into());
    }
    let settings = &ctx.settings;
    if let TokenSource::TokenFile(file) = &settings.token_source {
        return Err(
            CliError::usage("auth login reads the token from stdin, not --token-file")
                .with_hint(format!(
                    "dodil auth login --with-token < {}",
                    crate::output::shell_word(&file.to_string_lossy())
                ))
                .into(),
        );
    }
    let key = store_key(settings)?;
    let token = read_token(args.with_token)?;
    if settings.token_source == TokenSource::Environment {
        ctx.printer
            .warn("DODIL_TOKEN is set: commands use it, not the stored token, until it is unset");
    }
    let place = credentials::store(key, &token, &ctx.printer)?;
    let (stored, location) = match &place {
        Place::Keyring => ("keyring", format!("service {SERVICE}, user {}", key.user())),
        Place::File(path) => ("fallback-file", path.to_string_lossy().into_owned()),
    };
    if ctx.output != OutputFormat::Table {
        print_document(
            &ctx.printer,
            ctx.output,
            &LoginReport {
                endpoint: settings.endpoint.to_string(),
                profile: settings.profile.as_deref().unwrap_or("default"),
                stored,
                location: location.clone(),
            },
        )?;
    }
    let place = match place {
        Place::Keyring => format!("in the keyring ({location})"),
        Place::File(_) => format!("in {}", terminal_safe(&location)),
    };
    ctx.printer.status(&format!(
        "{} signed in to {}: the token is {place}",
        ctx.printer.paint_stderr("✔", "32;1"),
        settings.endpoint
    ));
    Ok(ExitStatus::Success)
}

/// The token: one line of stdin, or typed at a prompt that does not echo it.
fn read_token(with_token: bool) -> anyhow::Result<Token> {
    let stdin = std::io::stdin();
    let text = if !with_token && stdin.is_terminal() {
        rpassword::prompt_password("Paste the token (it is not shown): ").map_err(|err| {
            CliError::usage(format!("cannot read the token from the terminal: {err}"))
        })?
    } else {
        read_line(stdin.lock())?
    };
    if text.trim().is_empty() {
        return Err(CliError::usage("no token was given on stdin")
            .with_hint("dodil auth login --with-token < FILE")
            .into());
    }
    Token::parse(&text).ok_or_else(|| {
        CliError::usage(
            "the token holds a space, a control character or non-ASCII text, which a header \
             cannot carry",
        )
        .into()
    })
}

/// The first line of `input`, at most [`MAX_TOKEN_BYTES`].
fn read_line(input: impl BufRead) -> anyhow::Result<String> {
    let mut line = Vec::new();
    input
        .take(MAX_TOKEN_BYTES + 1)
        .read_until(b'\n', &mut line)
        .map_err(|err| CliError::usage(format!("cannot read the token from stdin: {err}")))?;
    if line.len() as u64 > MAX_TOKEN_BYTES {
        return Err(CliError::usage(format!(
            "the first line of stdin is longer than {} KiB: not a token",
            MAX_TOKEN_BYTES / 1024
        ))
        .into());
    }
    String::from_utf8(line).map_err(|_| {
        CliError::usage("the token on stdin is not text (UTF-8), which a header cannot carry")
            .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_line_is_read_and_it_is_bounded() {
        assert_eq!(read_line(&b"tok\nrest\n"[..]).unwrap(), "tok\n");
        assert_eq!(read_line(&b"tok"[..]).unwrap(), "tok");
        let long = vec![b'a'; MAX_TOKEN_BYTES as usize + 1];
        assert!(read_line(&long[..]).is_err());
        assert!(read_line(&b"\xff\xfe\n"[..]).is_err());
    }
}
