//! `thread artifacts`: ListArtifacts, and with `--save` each file downloaded promptly (the URLs are
//! short-lived). Today's service answers UNIMPLEMENTED; say so plainly.

use crate::cli::{ArtifactsArgs, OutputFormat};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::model::Artifact;
use crate::output::artifacts::print_artifacts;
use crate::output::save_view::{print_saved_files, Listing, SaveView};
use crate::output::{print_document, terminal_safe};
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
            print_artifacts(&ctx.printer, ctx.output, &artifacts)?;
            Ok(ExitStatus::Success)
        }
    }
}

fn save(ctx: &Context, dir: &SaveDir, artifacts: &[Artifact]) -> anyhow::Result<ExitStatus> {
    let view = SaveView::new(&ctx.printer);
    let saved = save_artifacts(dir, artifacts, &ctx.settings.proxies, &view);
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
