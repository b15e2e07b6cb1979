//! `thread steps ID --step PATH`: one step in full, as GetThreadResult gives it (its payloads
//! cut short for a table); a path the thread does not have is exit 5 naming the steps nearby.

use crate::cli::OutputFormat;
use crate::client::{CallErrorKind, ResultQuery};
use crate::context::Context;
use crate::error::{CliError, ExitStatus};
use crate::model::step_tree::nearby;
use crate::output::thread::{print_step_detail, PayloadView};
use crate::output::{print_document, terminal_safe};

pub(super) async fn run(ctx: &Context, thread_id: &str, path: &str) -> anyhow::Result<ExitStatus> {
    let client = ctx.client().await?;
    let query = ResultQuery {
        step_path: Some(path.to_string()),
        ..ResultQuery::default()
    };
    let found = match client.get_thread_result(thread_id, &query).await {
        Ok(result) => result
            .step_details
            .into_iter()
            .find(|d| d.step_path == path),
        Err(err) if err.kind == CallErrorKind::NotFound => None,
        Err(err) => return Err(err.into()),
    };
    let Some(step) = found else {
        return Err(unknown_step(ctx, thread_id, path).await);
    };
    match ctx.output {
        OutputFormat::Table => {
            let (input, output) = PayloadView::inline(&step);
            print_step_detail(&ctx.printer, &step, &input, &output)?;
            if input.total > 0 || output.total > 0 {
                ctx.printer.hint(&format!(
                    "all of its input and output: {}",
                    crate::output::suggest::step_save(thread_id, path)
                ));
            }
        }
        format => print_document(&ctx.printer, format, &step)?,
    }
    Ok(ExitStatus::Success)
}

/// Exit 5 naming the steps near the one asked for.
async fn unknown_step(ctx: &Context, thread_id: &str, path: &str) -> anyhow::Error {
    let steps = match super::summaries(ctx, thread_id).await {
        Ok(steps) => steps,
        Err(err) => return err,
    };
    let near = nearby(&steps, path);
    let message = format!(
        "thread {} has no step {}",
        terminal_safe(thread_id),
        terminal_safe(path)
    );
    let hint = if near.is_empty() {
        "the thread has no steps yet".to_string()
    } else {
        format!(
            "steps nearby: {} (all of them: {})",
            near.iter()
                .map(|p| terminal_safe(p).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            crate::output::suggest::steps(thread_id)
        )
    };
    CliError::new(ExitStatus::ServerRefused, message)
        .with_hint(hint)
        .into()
}
