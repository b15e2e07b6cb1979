//! One module per command; each is a small `run(ctx, args)` returning the outcome: it resolves
//! its arguments, calls the engine (`client`, `follow`, `save`) and hands the result to a view
//! in `output`.

mod auth;
pub mod shell;
pub mod thread;
mod verify;

use crate::cli::{AuthCommand, Command, OutputFormat, ScriptumCommand};
use crate::config::TokenLookup;
use crate::context::Context;
use crate::error::ExitStatus;
use crate::output::Printer;

/// Whether a command needs the resolved settings (it talks to the service, or keeps a token
/// for it), and whether it looks for a token.
pub fn settings_for(command: &Command) -> Option<TokenLookup> {
    match command {
        Command::Scriptum(ScriptumCommand::Thread(_)) | Command::Auth(AuthCommand::Status) => {
            Some(TokenLookup::Full)
        }
        Command::Auth(AuthCommand::Login(_) | AuthCommand::Logout) => Some(TokenLookup::Skip),
        _ => None,
    }
}

/// Runs a command. `ctx` is there exactly when [`settings_for`] says so.
pub async fn dispatch(
    ctx: Option<anyhow::Result<Context>>,
    printer: &Printer,
    output: OutputFormat,
    command: Command,
) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Scriptum(ScriptumCommand::Thread(command)) => {
            // `needs_service` said so to main, which resolved them.
            let ctx = ctx.ok_or_else(|| {
                anyhow::anyhow!("no settings were resolved for a service command")
            })??;
            let outcome = thread::dispatch(&ctx, command).await;
            ctx.shutdown().await;
            outcome
        }
        Command::Auth(command) => {
            let ctx = ctx.ok_or_else(|| {
                anyhow::anyhow!("no settings were resolved for an auth command")
            })??;
            let outcome = auth::dispatch(&ctx, command).await;
            ctx.shutdown().await;
            outcome
        }
        Command::Scriptum(ScriptumCommand::DevServer(args)) => {
            crate::devserver::run_standalone(*args).await?;
            Ok(ExitStatus::Success)
        }
        Command::Scriptum(ScriptumCommand::Verify(args)) => verify::run(printer, output, &args),
        Command::Completions(args) => shell::completions(printer, &args),
        Command::Man(args) => shell::man(printer, &args),
        Command::Options => shell::options(printer),
    }
}
