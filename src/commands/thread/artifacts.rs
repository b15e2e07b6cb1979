//! `thread artifacts`: ListArtifacts. Today's service answers UNIMPLEMENTED; say so plainly.

use crate::cli::{ArtifactsArgs, OutputFormat};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::output::{self, print_document, size, terminal_safe};

use super::cancel::unimplemented_plainly;

pub async fn run(ctx: &Context, args: ArtifactsArgs) -> anyhow::Result<ExitStatus> {
    let client = ctx.client().await?;
    let artifacts = client
        .list_artifacts(&args.thread_id)
        .await
        .map_err(|err| {
            unimplemented_plainly(err, "artifacts are not available on this server yet")
        })?;
    match ctx.output {
        OutputFormat::Table => {
            if artifacts.is_empty() {
                ctx.printer.status("no artifacts");
                return Ok(ExitStatus::Success);
            }
            let mut table = output::table(&ctx.printer, &["NAME", "TYPE", "SIZE", "PATH"]);
            for a in &artifacts {
                table.add_row(vec![
                    terminal_safe(&a.name).into_owned(),
                    terminal_safe(&a.content_type).into_owned(),
                    size(a.size_bytes),
                    terminal_safe(&a.path).into_owned(),
                ]);
            }
            output::print_table(&ctx.printer, &table)?;
        }
        OutputFormat::Jsonl => {
            for a in &artifacts {
                ctx.printer.data_line(&serde_json::to_string(a)?)?;
            }
        }
        format => print_document(&ctx.printer, format, &artifacts)?,
    }
    Ok(ExitStatus::Success)
}
