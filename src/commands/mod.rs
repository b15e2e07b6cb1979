//! One module per command; each is a small `run(ctx, args)` returning the outcome.

pub mod shell;
pub mod thread;

use crate::cli::{Command, ScriptumCommand};
use crate::context::Context;
use crate::error::ExitStatus;

pub async fn dispatch(ctx: &Context, command: Command) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Scriptum(ScriptumCommand::Thread(command)) => thread::dispatch(ctx, command).await,
        Command::Scriptum(ScriptumCommand::DevServer(args)) => {
            crate::devserver::run_standalone(*args).await?;
            Ok(ExitStatus::Success)
        }
        Command::Completions(args) => shell::completions(&ctx.printer, &args),
        Command::Man(args) => shell::man(&ctx.printer, &args),
    }
}
