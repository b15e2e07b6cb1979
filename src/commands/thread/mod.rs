//! `dodil scriptum thread <verb>`: one file per verb, each a short flow from its arguments to
//! an exit status. No verb file uses another; what several share has a home of its own here
//! (below) or in `output/`, `save/`, `model/`.

mod artifacts;
mod cancel;
mod create;
mod get;
mod list;
mod result;
mod resume;
mod run;
mod steps;
mod watch;

// Shared by several verbs.
mod deliver;
mod follow_flow;
mod inputs_flow;
mod many_flow;
mod new_thread;
mod unimplemented;

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
        ThreadCommand::Resume(args) => resume::run(ctx, args).await,
        ThreadCommand::Cancel(args) => cancel::run(ctx, args).await,
        ThreadCommand::Artifacts(args) => artifacts::run(ctx, args).await,
        ThreadCommand::Run(args) => run::run(ctx, args).await,
        ThreadCommand::Watch(args) => watch::run(ctx, args).await,
    }
}
