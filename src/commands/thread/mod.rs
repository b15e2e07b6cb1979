//! `dodil scriptum thread <verb>`: one file per verb.

mod create;
mod get;
mod list;

use crate::cli::ThreadCommand;
use crate::context::Context;
use crate::error::ExitStatus;

pub async fn dispatch(ctx: &Context, command: ThreadCommand) -> anyhow::Result<ExitStatus> {
    match command {
        ThreadCommand::Create(args) => create::run(ctx, args).await,
        ThreadCommand::Get(args) => get::run(ctx, args).await,
        ThreadCommand::List(args) => list::run(ctx, args).await,
    }
}
