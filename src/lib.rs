//! `dodil`: the command-line client for the Dodil Scriptum Threads & Results API.
//!
//! The binary is a thin `main`; everything lives here so integration tests can start the dev
//! server in-process and drive the real binary against it.

pub mod cli;
pub(crate) mod client;
pub(crate) mod commands;
pub(crate) mod config;
pub(crate) mod context;
pub(crate) mod credentials;
pub mod devserver;
pub(crate) mod error;
pub(crate) mod follow;
pub(crate) mod input;
pub(crate) mod interrupt;
pub(crate) mod model;
pub(crate) mod output;
pub mod proto;
pub mod proxy;
pub(crate) mod save;

/// The transport settings `examples/ceiling` shares with the client, so the benchmark's ceiling
/// rides the same channel.
#[doc(hidden)]
pub use client::{endpoint, MAX_MESSAGE_BYTES};
#[doc(hidden)]
pub use config::result_chunk_bytes;
#[doc(hidden)]
pub use save::download::CHUNK_BYTES;

use std::process::ExitCode;

use crate::context::Context;
use crate::error::ExitStatus;

/// Parses the command line, runs the command, and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let mut cli = match cli::parse() {
        Ok((cli, matches)) => {
            let given = cli::client_options_given(&cli, &matches);
            if let Some(first) = given.first() {
                context::printer_for(&cli.global).error(
                    &format!("{first} is an option of the client: `dev-server` does not take it"),
                    Some(if first == "--endpoint" {
                        "the dev server listens with --listen ADDR; a client reaches it with \
                         --endpoint http://ADDR"
                    } else {
                        "`dodil scriptum dev-server --help` lists what it takes"
                    }),
                );
                return ExitStatus::Usage.into();
            }
            cli
        }
        Err(err) if is_unknown_auth_command(&err) => {
            // clap would quote the word, which may be a token pasted after `dodil auth`.
            output::Printer::new(output::Verbosity::Normal, output::ColorChoice::Auto).error(
                "`dodil auth` has login, status and logout (what was given is not repeated: it \
                 may be a token)",
                Some("a token is read from stdin: dodil auth login --with-token < FILE"),
            );
            return ExitStatus::Usage.into();
        }
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return ExitCode::from(err.exit_code() as u8);
        }
    };
    let jq = match jq_program(&mut cli.global) {
        Ok(jq) => jq,
        Err(err) => {
            context::printer_for(&cli.global).error(&err.message, err.hint.as_deref());
            return err.status.into();
        }
    };
    let printer = context::printer_for(&cli.global).with_jq(jq);
    // Settings (config file, token, endpoint) only for the commands that call the service: a
    // broken config must not break `completions`, `man` or `dev-server`.
    let ctx = commands::settings_for(&cli.command)
        .map(|lookup| Context::new(&cli.global, printer.clone(), lookup));
    let runtime = match runtime_for(&cli.command).enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            printer.error(&format!("cannot start the async runtime: {err}"), None);
            return ExitStatus::Usage.into();
        }
    };
    let outcome = runtime
        .block_on(commands::dispatch(
            ctx,
            &printer,
            cli.global.output,
            cli.command,
        ))
        .and_then(|status| printer.finish().map(|()| status));
    match outcome {
        Ok(status) => status.into(),
        Err(err) => match error::report(&err) {
            Some(report) => {
                printer.error(&report.message, report.hint.as_deref());
                report.status.into()
            }
            None => error::quiet_status(&err).into(),
        },
    }
}

/// Whether clap refused the word after `auth` as an unknown subcommand.
fn is_unknown_auth_command(err: &clap::Error) -> bool {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if err.kind() != ErrorKind::InvalidSubcommand {
        return false;
    }
    let Some(ContextValue::String(word)) = err.get(ContextKind::InvalidSubcommand) else {
        return false;
    };
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    args.windows(2)
        .any(|pair| pair[0] == "auth" && pair[1] == word.as_str())
}

/// `--jq`, checked before anything runs; it implies `-o json` (and works with `-o jsonl`).
fn jq_program(
    global: &mut cli::GlobalArgs,
) -> Result<Option<output::jq::JqProgram>, error::CliError> {
    let Some(code) = &global.jq else {
        return Ok(None);
    };
    match global.output {
        cli::OutputFormat::Table => global.output = cli::OutputFormat::Json,
        cli::OutputFormat::Json | cli::OutputFormat::Jsonl => {}
        cli::OutputFormat::Yaml => {
            return Err(error::CliError::usage(
                "--jq filters JSON: use it with -o json or -o jsonl",
            ))
        }
    }
    output::jq::JqProgram::new(code).map(Some)
}

/// A client command is one connection driven by one task: a single-threaded runtime starts
/// faster, uses less memory and moves data with fewer cross-thread wake-ups. A dev server serves
/// on every core (embedded next to a client, on a runtime of its own: `devserver::Embedded`).
fn runtime_for(command: &cli::Command) -> tokio::runtime::Builder {
    let serves = matches!(
        command,
        cli::Command::Scriptum(cli::ScriptumCommand::DevServer(_))
    );
    if serves {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    }
}
