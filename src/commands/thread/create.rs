//! `thread create`: start a thread and return at once.

use crate::cli::{CreateArgs, OutputFormat};
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::input;
use crate::model::{CreatedThread, NewThread};
use crate::output::{print_document, terminal_safe};

pub async fn run(ctx: &Context, args: CreateArgs) -> anyhow::Result<ExitStatus> {
    let created = create_thread(ctx, &args).await?;
    match ctx.output {
        OutputFormat::Table => {
            // stdout is the id alone, so `id=$(dodil scriptum thread create …)` works.
            ctx.printer.data_line(&created.thread_id)?;
            ctx.printer.status(&format!(
                "created thread {} ({}, {})",
                terminal_safe(&created.thread_id),
                terminal_safe(&args.script),
                created.status
            ));
            ctx.printer.hint(&format!(
                "follow it with: {}",
                crate::output::suggest::watch(&created.thread_id)
            ));
        }
        format => print_document(&ctx.printer, format, &created)?,
    }
    Ok(ExitStatus::Success)
}

/// Validates the create flags locally, then calls CreateThread. Shared with `thread run`.
pub async fn create_thread(ctx: &Context, args: &CreateArgs) -> anyhow::Result<CreatedThread> {
    let request = build_request(args)?;
    Ok(ctx.client().await?.create_thread(request).await?)
}

fn build_request(args: &CreateArgs) -> Result<NewThread, CliError> {
    if args.script.trim().is_empty() {
        return Err(CliError::usage("the script name is empty"));
    }
    let input_json = match &args.input {
        Some(value) => input::read_json_arg("--input", value)?,
        None => String::new(),
    };
    if let Some(timeout) = &args.timeout {
        input::validate_duration("--timeout", timeout)?;
    }
    if let Some(url) = &args.callback_url {
        input::validate_url("--callback-url", url)?;
    }
    Ok(NewThread {
        script_name: args.script.clone(),
        version: args.version,
        input_json,
        timeout: args.timeout.clone().unwrap_or_default(),
        metadata: input::parse_metadata(&args.metadata)?,
        callback_url: args.callback_url.clone().unwrap_or_default(),
        load_env: args.env,
    })
}
