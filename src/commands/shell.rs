//! `dodil completions` and `dodil man`: both generated from the one clap definition.

use std::path::Path;

use anyhow::Context as _;

use crate::cli::{CompletionsArgs, ManArgs};
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

/// `dodil options`: the global options, described in full.
pub fn options(printer: &Printer) -> anyhow::Result<ExitStatus> {
    printer.data_bytes(crate::cli::global_options_help().as_bytes())?;
    Ok(ExitStatus::Success)
}

/// The completion script for `shell`, as committed under `completions/`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::command(), "dodil", &mut out);
    out
}

/// `dodil.1` first, then one page per command, named as git names its pages.
pub fn man_pages() -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let root = crate::cli::command();
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
    // The main page and those of commands that connect say which environment variables they
    // read and what their exit codes mean.
    if name == "dodil" || name.starts_with("dodil-scriptum-thread") {
        page = with_sections(page, name == "dodil");
    }
    pages.push((format!("{name}.1"), page));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        collect(sub, pages)?;
    }
    Ok(())
}

/// Every environment variable dodil reads, for the man page's ENVIRONMENT section (`--help`
/// names the ones that back a flag).
pub const ENVIRONMENT: [(&str, &str); 26] = [
    ("DODIL_ENDPOINT", "The server, as --endpoint."),
    ("DODIL_PROFILE", "The config file's profile, as --profile."),
    (
        "DODIL_ORG, SCRIPTUM_ORG_NAME",
        "The organization name, as --org.",
    ),
    ("SCRIPTUM_ORG_ID", "The organization id, as --org-id."),
    (
        "DODIL_TOKEN",
        "The bearer token itself (a token is never a command-line value).",
    ),
    (
        "DODIL_CA_CERT",
        "A PEM file of a private CA to trust, as --ca-cert.",
    ),
    (
        "DODIL_CONFIG",
        "The config file, instead of dodil/config.yaml in the platform config directory.",
    ),
    (
        "DODIL_PROXY",
        "The proxy for every connection, as --proxy: a URL or none. It may hold a password, which \
         --proxy never takes.",
    ),
    (
        "HTTPS_PROXY, https_proxy",
        "The proxy for connections to the service (looked up as https://HOST:PORT, TLS or not) \
         and https:// artifact downloads: http://[USER:PASS@]HOST:PORT (HTTP CONNECT), \
         socks5://HOST:PORT or socks5h://HOST:PORT. Never used for loopback targets or \
         --endpoint embedded.",
    ),
    (
        "ALL_PROXY, all_proxy",
        "The proxy when HTTPS_PROXY (or, for http:// downloads, HTTP_PROXY) is not set.",
    ),
    (
        "HTTP_PROXY, http_proxy",
        "The proxy for http:// artifact downloads only.",
    ),
    (
        "NO_PROXY, no_proxy",
        "Targets that bypass the environment's proxy, comma-separated: host names (which match \
         their subdomains too), .suffix, *, IP addresses and CIDR ranges.",
    ),
    ("NO_COLOR", "Turns colour off for --color auto."),
    (
        "RUST_LOG",
        "debug shows what -v shows, error quietens as -q does.",
    ),
    (
        "DODIL_CALL_TIMEOUT",
        "A duration (e.g. 5s) that replaces every per-call time limit: for tests and for \
         debugging a slow server.",
    ),
    (
        "DODIL_RESULT_CHUNK_BYTES",
        "The chunk size result streams ask for (default 512 KiB; the server clamps it).",
    ),
    (
        "DODIL_KEYRING",
        "Where auth login keeps a token: os (the platform's keyring, the default), file (a file \
         of mode 0600 only) or sample (a file-backed test store).",
    ),
    (
        "DODIL_DATA_DIR",
        "Where --endpoint embedded and dev-server keep their threads (default: \
         <platform data dir>/dodil/devserver, ~/.local/share/dodil/devserver on Linux).",
    ),
    (
        "DODIL_DEVSERVER_EPHEMERAL",
        "1: --endpoint embedded keeps its threads in memory only.",
    ),
    (
        "DODIL_DEVSERVER_SPEED",
        "The time scale of --endpoint embedded, a positive number (default 1).",
    ),
    (
        "DODIL_DEVSERVER_SCRIPTS",
        "A directory of scenario files for --endpoint embedded, as dev-server --scripts.",
    ),
    (
        "DODIL_DEVSERVER_FAULTS",
        "Fault switches for --endpoint embedded, in the grammar of dev-server --faults.",
    ),
    (
        "DODIL_DEVSERVER_TOKEN",
        "The bearer token the embedded or standalone dev server requires.",
    ),
    (
        "DODIL_DEVSERVER_CANCEL",
        "1: CancelThread works on --endpoint embedded.",
    ),
    (
        "DODIL_DEVSERVER_ARTIFACTS",
        "A directory whose files ListArtifacts lists on --endpoint embedded.",
    ),
    (
        "HOME, XDG_CONFIG_HOME, XDG_DATA_HOME",
        "Locate the platform config and data directories.",
    ),
];

/// Examples for the main page.
const EXAMPLES: [(&str, &str); 6] = [
    (
        "dodil scriptum thread run demo/etl --endpoint embedded",
        "Run a demo script on the in-process dev server and follow it live.",
    ),
    (
        "dodil scriptum thread run invoice-parser --input @in.json --result --save out/",
        "Run a script with an input file, print its output and save every result file.",
    ),
    (
        "id=$(dodil scriptum thread create demo/hello); dodil scriptum thread watch \"$id\"",
        "Start a thread, then follow it.",
    ),
    (
        "dodil scriptum thread list --status failed -o jsonl | jq -r .threadId",
        "The ids of recent failed threads.",
    ),
    (
        "dodil scriptum thread resume \"$id\" --input '{\"approved\": true}' --watch",
        "Resume a paused thread with a new input for its step, and follow it on.",
    ),
    (
        "dodil scriptum verify out/",
        "Check a saved directory against its summary.json.",
    ),
];

/// `page` with ENVIRONMENT, EXIT STATUS and (on the main page) EXAMPLES sections before its
/// subcommands (or version) section.
fn with_sections(page: Vec<u8>, examples: bool) -> Vec<u8> {
    let mut section = roff::Roff::new();
    section.control("SH", ["ENVIRONMENT"]);
    for (name, meaning) in ENVIRONMENT {
        section.control("TP", []);
        section.text([roff::bold(name)]);
        section.text([roff::roman(meaning)]);
    }
    section.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in crate::error::EXIT_CODES {
        section.control("TP", []);
        section.text([roff::bold(code.to_string())]);
        section.text([roff::roman(meaning)]);
    }
    if examples {
        section.control("SH", ["EXAMPLES"]);
        for (command, meaning) in EXAMPLES {
            section.control("TP", []);
            section.text([roff::bold(command)]);
            section.text([roff::roman(meaning)]);
        }
    }
    let rendered = section.render();
    // The apostrophe preamble is already at the top of the page.
    let body = rendered
        .find(".SH ENVIRONMENT")
        .map_or(rendered.as_str(), |at| &rendered[at..]);
    let text = String::from_utf8_lossy(&page).into_owned();
    let at = [".SH SUBCOMMANDS", ".SH EXTRA", ".SH VERSION", ".SH AUTHORS"]
        .iter()
        .filter_map(|heading| text.find(&format!("\n{heading}")).map(|i| i + 1))
        .min()
        .unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + body.len());
    out.push_str(&text[..at]);
    out.push_str(body);
    out.push_str(&text[at..]);
    out.into_bytes()
}

fn write_pages(dir: &Path, pages: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (file, page) in pages {
        let path = dir.join(file);
        std::fs::write(&path, page).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
