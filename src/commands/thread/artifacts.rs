//! `thread artifacts`: ListArtifacts, and with `--save` each file downloaded promptly (the URLs are
//! short-lived). Today's service answers UNIMPLEMENTED; say so plainly.

use crate::cli::{ArtifactsArgs, OutputFormat};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::model::Artifact;
use crate::output::save_view::{print_saved_files, Listing};
use crate::output::{self, print_document, size, terminal_safe};
use crate::save::artifacts::{problems_error, save_artifacts};
use crate::save::layout::SaveDir;

use super::unimplemented::unimplemented_plainly;

pub async fn run(ctx: &Context, args: ArtifactsArgs) -> anyhow::Result<ExitStatus> {
    // A DIR we cannot use is refused before anything is fetched.
    let save_dir = match &args.save {
        Some(dir) => Some(SaveDir::prepare(dir, args.force)?),
        None => None,
    };
    let client = ctx.client().await?;
    let artifacts = client
        .list_artifacts(&args.thread_id)
        .await
        .map_err(|err| {
            unimplemented_plainly(err, "artifacts are not available on this server yet")
        })?;

    match &save_dir {
        Some(dir) => save(ctx, dir, &artifacts),
        None => {
            print_list(ctx, &artifacts)?;
            Ok(ExitStatus::Success)
        }
    }
}

fn save(ctx: &Context, dir: &SaveDir, artifacts: &[Artifact]) -> anyhow::Result<ExitStatus> {
    let saved = save_artifacts(dir, artifacts, &ctx.settings.proxies, &ctx.printer);
    match ctx.output {
        OutputFormat::Table => {
            let listing = Listing::Artifacts {
                listed: artifacts.len(),
            };
            print_saved_files(&ctx.printer, dir, &saved.files, listing);
        }
        format => print_document(&ctx.printer, format, &saved.files)?,
    }
    if saved.problems.is_empty() {
        Ok(ExitStatus::Success)
    } else {
        let problems: Vec<String> = saved
            .problems
            .iter()
            .map(|p| terminal_safe(&p.message).into_owned())
            .collect();
        Err(problems_error(&problems).into())
    }
}

fn print_list(ctx: &Context, artifacts: &[Artifact]) -> anyhow::Result<()> {
    match ctx.output {
        OutputFormat::Table => {
            if artifacts.is_empty() {
                ctx.printer.status("no artifacts");
                return Ok(());
            }
            let mut table = output::table(&ctx.printer, &["NAME", "TYPE", "SIZE", "PATH"]);
            for a in artifacts {
                table.add_row(vec![
                    terminal_safe(&a.name).into_owned(),
                    terminal_safe(&a.content_type).into_owned(),
                    size(a.size_bytes),
                    terminal_safe(&a.path).into_owned(),
                ]);
            }
            output::print_table(&ctx.printer, &table)
        }
        OutputFormat::Jsonl => {
            for a in artifacts {
                ctx.printer.data_line(&serde_json::to_string(a)?)?;
            }
            Ok(())
        }
        format => print_document(&ctx.printer, format, &artifacts),
    }
}
