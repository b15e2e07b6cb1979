//! Creating a thread from the create flags (`thread create`, `thread run`): the flags checked
//! locally (script name, `--input` JSON, `--timeout`, `--callback-url`, `--metadata`), then one
//! CreateThread call, never repeated (it is not idempotent).

use crate::cli::CreateArgs;
use crate::context::Context;
use crate::error::CliError;
use crate::input;
use crate::model::{CreatedThread, NewThread};

/// Validates the create flags locally, then calls CreateThread.
pub async fn create_thread(ctx: &Context, args: &CreateArgs) -> anyhow::Result<CreatedThread> {
    let request = build_request(args)?;
    Ok(ctx.client().await?.create_thread(request).await?)
}

/// The thread the flags describe, checked here so that a typo costs no call.
pub(crate) fn build_request(args: &CreateArgs) -> Result<NewThread, CliError> {
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
