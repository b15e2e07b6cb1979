//! `dodil completions` and `dodil man`: both generated from the one clap definition.

use std::path::Path;

use anyhow::Context as _;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::ExitStatus;
use crate::output::Printer;

pub fn completions(printer: &Printer, args: &CompletionsArgs) -> anyhow::Result<ExitStatus> {
    printer.data_bytes(&completion_script(args.shell))?;
    Ok(ExitStatus::Success)
}

pub fn man(printer: &Printer, args: &ManArgs) -> anyhow::Result<ExitStatus> {
    let pages = man_pages()?;
    match &args.dir {
        None => printer.data_bytes(&pages[0].1)?,
        Some(dir) => {
            write_pages(dir, &pages)?;
            printer.status(&format!(
                "wrote {} man pages to {}",
                pages.len(),
                dir.display()
            ));
        }
    }
    Ok(ExitStatus::Success)
}

/// The completion script for `shell`, as committed under `completions/`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "dodil", &mut out);
    out
}

/// `dodil.1` first, then one page per command, named as git names its pages.
pub fn man_pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command();
    root.build();
    let mut pages = Vec::new();
    collect(&root, &mut pages)?;
    Ok(pages)
}

fn collect(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
    // After `build`, clap names a subcommand's page `dodil-scriptum-thread-get`.
    let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut page)
        .context("cannot render the man page")?;
    pages.push((format!("{name}.1"), page));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        collect(sub, pages)?;
    }
    Ok(())
}

fn write_pages(dir: &Path, pages: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (file, page) in pages {
        let path = dir.join(file);
        std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
