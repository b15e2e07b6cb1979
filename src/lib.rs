//! `dodil`: the command-line client for the Dodil Scriptum Threads & Results API.
//!
//! The binary is a thin `main`; everything lives here so integration tests can start the dev
//! server in-process and drive the real binary against it.

pub mod cli;
pub mod client;
pub mod commands;
pub mod config;
pub mod context;
pub mod devserver;
pub mod error;
pub mod follow;
pub mod input;
pub mod interrupt;
pub mod model;
pub mod output;
pub mod proto;
pub mod save;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::context::Context;
use crate::error::ExitStatus;

/// Parses the command line, runs the command, and turns the outcome into an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2).
            let _ = err.print();
            return ExitCode::from(err.exit_code() as u8);
        }
    };
    let printer = context::printer_for(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            printer.error(&format!("cannot start the async runtime: {err}"), None);
            return ExitStatus::Usage.into();
        }
    };
    let outcome = runtime.block_on(run(cli));
    match outcome {
        Ok(status) => status.into(),
        Err(err) => match error::report(&err) {
            Some(report) => {
                printer.error(&report.message, report.hint.as_deref());
                report.status.into()
            }
            None => ExitStatus::Success.into(),
        },
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let ctx = Context::new(&cli.global)?;
    let outcome = commands::dispatch(&ctx, cli.command).await;
    ctx.shutdown().await;
    outcome
}
