//! `dodil scriptum thread <verb>`: one file per verb.

mod create;
mod get;
mod list;
pub mod result;
mod steps;

pub use get::now_ms;

use crate::cli::ThreadCommand;
use crate::context::Context;
use crate::error::ExitStatus;

pub async fn dispatch(ctx: &Context, command: ThreadCommand) -> anyhow::Result<ExitStatus> {
    match command {
        ThreadCommand::Create(args) => create::run(ctx, args).await,
        ThreadCommand::Get(args) => get::run(ctx, args).await,
        ThreadCommand::List(args) => list::run(ctx, args).await,
        ThreadCommand::Result(args) => result::run(ctx, args).await,
        ThreadCommand::Steps(args) => steps::run(ctx, args).await,
    }
}
