//! Every clap type of the command line, and nothing else. Help text, the man page and shell
//! completions are all generated from these definitions.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::model::ThreadStatus;

/// The command line as it is parsed, and as `--help`, the man pages and the completions show it.
///
/// `dodil --help` and `dodil options` list the global options in full; every other command's
/// help ends with one line naming them, so its own options and examples come first (the globals
/// are still accepted there: `hide` only keeps them out of the page and out of usage lines, where
/// clap would otherwise print one an environment variable set as if it were required). The dev
/// server takes none of them (see [`client_options_given`]), so its page does not name them.
pub fn command() -> clap::Command {
    let mut root = Cli::command();
    // Building propagates the global arguments into every subcommand, where they can be hidden.
    root.build();
    let globals: Vec<clap::Id> = root
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.get_id().clone())
        .collect();
    let pointer = global_options_pointer(&root);
    root.mut_subcommands(|sub| hide_globals(sub, &globals, &pointer))
}

fn hide_globals(cmd: clap::Command, globals: &[clap::Id], pointer: &str) -> clap::Command {
    if cmd.get_name() == "help" {
        return cmd;
    }
    let mut cmd = cmd.mut_args(|arg| {
        // The dev server's own --token-file shares the id; only the propagated copies are global.
        if arg.is_global_set() && globals.contains(arg.get_id()) {
            arg.hide(true)
        } else {
            arg
        }
    });
    if cmd.get_name() != "dev-server" && cmd.get_name() != "options" {
        let after = match cmd.get_after_help() {
            Some(text) => format!("{text}\n\n{pointer}"),
            None => pointer.to_string(),
        };
        cmd = cmd.after_help(after);
    }
    cmd.mut_subcommands(|sub| hide_globals(sub, globals, pointer))
}

/// "Global options: --endpoint URL, --profile NAME, … (`dodil options` describes them)",
/// wrapped as the help is.
fn global_options_pointer(root: &clap::Command) -> String {
    let mut words: Vec<String> = vec!["Global options:".to_string()];
    let globals: Vec<&clap::Arg> = root.get_arguments().filter(|a| a.is_global_set()).collect();
    for (i, arg) in globals.iter().enumerate() {
        let mut name = match (arg.get_short(), arg.get_long()) {
            (Some(short), Some(long)) => format!("-{short}/--{long}"),
            (None, Some(long)) => format!("--{long}"),
            (Some(short), None) => format!("-{short}"),
            (None, None) => continue,
        };
        if arg.get_action().takes_values() {
            if let Some(value) = arg.get_value_names().and_then(|v| v.first()) {
                name.push(' ');
                name.push_str(value);
            }
        }
        if i + 1 < globals.len() {
            name.push(',');
        }
        words.push(name);
    }
    words.push("(`dodil options` describes them)".to_string());
    wrap(&words, 100)
}

/// `words` joined by spaces into lines of at most `width` columns (a pair such as `--endpoint
/// URL` stays on one line).
fn wrap(words: &[String], width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in words {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

/// Parses the process's arguments with [`command`].
pub fn parse() -> Result<(Cli, ArgMatches), clap::Error> {
    let mut cmd = command();
    let matches = cmd.try_get_matches_from_mut(std::env::args_os())?;
    let cli = Cli::from_arg_matches(&matches).map_err(|err| err.format(&mut cmd))?;
    Ok((cli, matches))
}

/// The global options given on the command line (not by an environment variable) to a command
/// that takes none of them: the dev server, which is not a client.
pub fn client_options_given(cli: &Cli, matches: &ArgMatches) -> Vec<String> {
    if !matches!(
        cli.command,
        Command::Scriptum(ScriptumCommand::DevServer(_))
    ) {
        return Vec::new();
    }
    let root = Cli::command();
    root.get_arguments()
        .filter(|a| a.is_global_set())
        .filter(|a| {
            matches.value_source(a.get_id().as_str())
                == Some(clap::parser::ValueSource::CommandLine)
        })
        .filter_map(|a| a.get_long().map(|long| format!("--{long}")))
        .collect()
}

/// What `dodil options` prints: every global option, in full.
pub fn global_options_help() -> String {
    let root = Cli::command();
    let globals = root
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| a.clone().global(false).help_heading(None::<&str>));
    let mut page = clap::Command::new("dodil options")
        .disable_help_flag(true)
        .max_term_width(100)
        .args(globals)
        .help_template(
            "Every command accepts these options, before or after its name:\n\n{options}",
        );
    page.render_help().to_string()
}

#[derive(Debug, Parser)]
#[command(
    name = "dodil",
    version,
    about = "Command-line client for Dodil Scriptum: create, follow and fetch threads",
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, before or after the subcommand.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Server to talk to: https://host[:port] (TLS), http://host:port (plaintext), or `embedded`
    /// (an in-process dev server) [default: https://rpc.dodil.io:443]
    #[arg(
        long,
        global = true,
        env = "DODIL_ENDPOINT",
        value_name = "URL",
        hide_env_values = true
    )]
    pub endpoint: Option<String>,

    /// Profile of the config file to use (`staging` and `production` are built in)
    #[arg(
        long,
        global = true,
        env = "DODIL_PROFILE",
        value_name = "NAME",
        hide_env_values = true
    )]
    pub profile: Option<String>,

    /// Organization name, sent as x-organization-name [env: DODIL_ORG, SCRIPTUM_ORG_NAME]
    #[arg(long, global = true, value_name = "NAME")]
    pub org: Option<String>,

    /// Organization id, sent as x-organization-id
    #[arg(
        long,
        global = true,
        env = "SCRIPTUM_ORG_ID",
        value_name = "ID",
        hide_env_values = true
    )]
    pub org_id: Option<String>,

    /// File holding the bearer token (or set DODIL_TOKEN to the token itself, or store one with
    /// `dodil auth login`; a token is never taken as a command-line value)
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<PathBuf>,

    /// PEM file of a private CA to trust for TLS, in addition to the system's roots
    #[arg(
        long,
        global = true,
        env = "DODIL_CA_CERT",
        value_name = "FILE",
        hide_env_values = true
    )]
    pub ca_cert: Option<PathBuf>,

    /// Proxy for every connection: http://HOST:PORT (CONNECT), socks5://HOST:PORT,
    /// socks5h://HOST:PORT, or `none`; overrides HTTPS_PROXY, ALL_PROXY and NO_PROXY (a password
    /// only in DODIL_PROXY) [env: DODIL_PROXY]
    #[arg(long, global = true, value_name = "URL|none")]
    pub proxy: Option<String>,

    /// How calls travel: grpc (the default), or http: the HTTP gateway (/v1/scriptum/..., JSON
    /// bodies, HTTP/1.1 or HTTP/2), for proxies and load balancers that break gRPC
    #[arg(
        long,
        global = true,
        env = "DODIL_TRANSPORT",
        value_enum,
        value_name = "grpc|http",
        hide_env_values = true,
        hide_possible_values = true
    )]
    pub transport: Option<Transport>,

    /// Allow sending a token over plaintext http:// to a host that is not loopback
    #[arg(long, global = true)]
    pub insecure_allow_plaintext: bool,

    /// Output format: table for people; json, yaml, or jsonl (one object a line) for programs
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputFormat::Table,
          value_name = "FORMAT")]
    pub output: OutputFormat,

    /// Filter the JSON output through a jq expression (implies -o json; with -o jsonl, each line
    /// as it is printed). Strings print raw, other values as compact JSON, one a line
    #[arg(long, global = true, value_name = "EXPR")]
    pub jq: Option<String>,

    /// Print less on stderr (errors only) [env: RUST_LOG=error]
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more on stderr: each call, its status and time (tokens redacted) [env:
    /// RUST_LOG=debug]
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// When to use colour on a terminal (NO_COLOR turns it off for `auto`)
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Yaml,
    Jsonl,
}

/// How calls travel (`--transport`, `DODIL_TRANSPORT`, a profile's `transport:`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    /// gRPC over HTTP/2.
    #[default]
    Grpc,
    /// The HTTP gateway: JSON over HTTP/1.1 (HTTP/2 where TLS offers it).
    Http,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scripts and their threads on Dodil Scriptum
    #[command(subcommand)]
    Scriptum(ScriptumCommand),

    /// Sign in: keep a token in the platform's keyring, check it, forget it
    #[command(subcommand)]
    Auth(AuthCommand),

    /// Print a shell completion script
    #[command(after_help = "Examples:
  dodil completions bash > ~/.local/share/bash-completion/completions/dodil
  dodil completions zsh > \"${fpath[1]}/_dodil\"
  dodil completions fish > ~/.config/fish/completions/dodil.fish")]
    Completions(CompletionsArgs),

    /// Print the man page (roff), or write one page per command into a directory
    #[command(after_help = "Examples:
  dodil man | man -l -
  dodil man --dir ~/.local/share/man/man1 && man dodil-scriptum-thread-run")]
    Man(ManArgs),

    /// Print the options every command accepts (--endpoint, --profile, -o, ...), in full
    Options,
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Read a token from stdin and keep it for this profile and endpoint in the platform's
    /// keyring (a file of mode 0600 where none answers)
    #[command(
        after_help = "The token is read from stdin, never from the command line (other users can read it \
there): --with-token reads one line; without it, a terminal prompts without echo. It is kept for \
the profile and endpoint host given (--profile, --endpoint, or their defaults), and sent only \
there. DODIL_TOKEN and --token-file still come first.

Examples:
  dodil auth login
  dodil auth login --with-token < ~/dodil-token.txt
  pass show dodil/staging | dodil --profile staging auth login --with-token"
    )]
    Login(LoginArgs),

    /// Say where the token comes from and whether the server accepts it (never the token)
    #[command(
        after_help = "Exit codes: 0 the server accepts the token (or needs none), 5 it rejects it, \
6 it cannot be reached.

Examples:
  dodil auth status
  dodil --profile staging auth status -o json"
    )]
    Status,

    /// Forget the token stored for this profile and endpoint (keyring entry and file)
    #[command(after_help = "Examples:
  dodil auth logout
  dodil --profile staging auth logout")]
    Logout,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Read the token from stdin, one line (without it, stdin is read too when it is not a
    /// terminal)
    #[arg(long)]
    pub with_token: bool,

    // Anything else: a token typed as an argument, refused without repeating it (clap's own
    // error would quote it). No doc comment: zsh's completion would show it.
    #[arg(
        hide = true,
        num_args = 0..,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "ARGS"
    )]
    pub refused: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write dodil.1 and one page per command (dodil-scriptum-thread-get.1, ...) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to generate completions for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum ScriptumCommand {
    /// Create, follow and inspect threads (executions of a script)
    #[command(subcommand)]
    Thread(ThreadCommand),

    /// Run a local Scriptum simulator for tests and CI (demos, scenario files, fault switches)
    #[command(after_help = "Examples:
  dodil scriptum dev-server --listen 127.0.0.1:50051 --speed 10
  dodil scriptum dev-server --listen 127.0.0.1:0 --scripts ./scenarios --fault-watch-drop-after 3
  DODIL_ENDPOINT=http://127.0.0.1:50051 dodil scriptum thread run demo/hello
  curl -sS http://127.0.0.1:50051/v1/scriptum/threads   # the HTTP gateway, on the same port
  dodil scriptum dev-server --tls --listen 127.0.0.1:50052   # prints `ca certificate: PATH`
  dodil --endpoint https://localhost:50052 --ca-cert PATH scriptum thread list")]
    DevServer(Box<DevServerArgs>),

    /// Check a --save directory against its summary.json: every listed file there, whole, unchanged
    #[command(
        after_help = "Exit codes: 0 every file matches, 7 a file is missing, changed or extra, \
2 DIR holds no readable summary.json.

Examples:
  dodil scriptum verify out/
  dodil scriptum verify artifacts/run-42 -o json"
    )]
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A directory written by --save (thread run, thread result, thread steps --detail)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum ThreadCommand {
    /// Start a thread and print its id at once, without waiting for it
    #[command(after_help = "Examples:
  dodil scriptum thread create demo/hello
  dodil scriptum thread create invoice-parser --input @./input.json --version 3 --env -o json
  id=$(dodil scriptum thread create etl --input '{\"day\": \"2026-11-23\"}' --metadata run=nightly)

Exit codes: 0 created, 2 bad flag or input (nothing is sent), 5 refused by the server,
6 unreachable.")]
    Create(CreateArgs),

    /// Start a thread and follow it to the end; the exit code tells how it ended
    #[command(after_help = "Examples:
  dodil scriptum thread run demo/etl --endpoint embedded
  dodil scriptum thread run invoice-parser --input @./input.json --follow-timeout 30m
  dodil scriptum thread run etl -o jsonl | jq -c 'select(.event == \"yielded\")'

Exit codes: 0 completed, 1 failed, 2 bad flag or input (nothing is sent), 3 cancelled, 4 paused
(waiting for `thread resume`), 5 refused by the server, 6 unreachable or --follow-timeout,
7 --result or --save download incomplete, 130 interrupted (the thread goes on), 141 stdout closed
before the thread ended.")]
    Run(RunArgs),

    /// Follow an existing thread to the end (or report it, if it has ended)
    #[command(after_help = "Examples:
  dodil scriptum thread watch thr_abc123
  dodil scriptum thread watch thr_abc123 --wait-paused --follow-timeout 2h
  dodil scriptum thread watch thr_abc123 -o jsonl > events.jsonl
  dodil scriptum thread watch thr_abc123 --step 2

Exit codes: 0 completed, 1 failed, 2 bad flag, 3 cancelled, 4 paused, 5 refused by the server (e.g.
no such thread or step), 6 unreachable or --follow-timeout, 130 interrupted (the thread goes on),
141 stdout closed before the thread ended. With --step, the codes come from the step.")]
    Watch(WatchArgs),

    /// Show a thread's status and progress
    #[command(after_help = "Examples:
  dodil scriptum thread get thr_abc123
  dodil scriptum thread get thr_abc123 -o yaml
  dodil scriptum thread get thr_abc123 -o json | jq -r .status

Exit codes: 0 shown (whatever the thread's status), 2 bad flag, 5 refused by the server (e.g. no
such thread), 6 unreachable.")]
    Get(GetArgs),

    /// List recent threads, newest first
    #[command(after_help = "Examples:
  dodil scriptum thread list
  dodil scriptum thread list --script invoice-parser --status failed --limit 100
  dodil scriptum thread list --all -o jsonl | jq -r .threadId

Exit codes: 0 listed (also when nothing matches), 2 bad flag, 5 refused by the server,
6 unreachable.")]
    List(ListArgs),

    /// Print a thread's final output (streamed in full when large), or save it with its steps
    #[command(after_help = "Examples:
  dodil scriptum thread result thr_abc123
  dodil scriptum thread result thr_abc123 > output.json
  dodil scriptum thread result thr_abc123 --wait -o json | jq .outputData
  dodil scriptum thread result thr_abc123 --save ./out/thr_abc123

Exit codes: 0 the result is out (with --wait: the thread completed), 1 failed (with --wait),
2 bad flag or --save DIR not usable, 3 cancelled (with --wait), 4 paused, 5 refused by the server
(e.g. no result yet: add --wait), 6 unreachable or --follow-timeout, 7 download incomplete,
130 interrupted.")]
    Result(ResultArgs),

    /// Show a thread's steps as a tree, one step in detail, or every step's full input/output
    #[command(after_help = "Examples:
  dodil scriptum thread steps thr_abc123
  dodil scriptum thread steps thr_abc123 --step 1.2.0
  dodil scriptum thread steps thr_abc123 --detail -o json
  dodil scriptum thread steps thr_abc123 --save ./out/steps

Exit codes: 0 shown or saved, 2 bad flag or --save DIR not usable, 5 refused by the server (e.g.
no such step), 6 unreachable, 7 download incomplete, 130 interrupted.")]
    Steps(StepsArgs),

    /// Resume a paused thread (or retry a failed one), optionally with a new input for its step
    #[command(after_help = "Examples:
  dodil scriptum thread resume thr_abc123
  dodil scriptum thread resume thr_abc123 --input '{\"approved\": true}'
  dodil scriptum thread resume thr_abc123 --input @decision.json --watch

Exit codes: 0 resumed (with --watch: completed), 2 bad flag or input (nothing is sent), 5 refused
by the server (e.g. the thread is not paused or failed), 6 unreachable; with --watch also 1 failed,
3 cancelled, 4 paused again, 130 interrupted, 141 stdout closed, as for `thread watch`.")]
    Resume(ResumeArgs),

    /// Cancel a running thread
    #[command(after_help = "Examples:
  dodil scriptum thread cancel thr_abc123
  dodil scriptum thread cancel thr_abc123 --reason \"wrong input file\"

Exit codes: 0 cancelled, 2 bad flag, 5 refused by the server (e.g. already ended, or cancelling is
not offered), 6 unreachable.")]
    Cancel(CancelArgs),

    /// List the files a thread produced, or download them
    #[command(after_help = "Examples:
  dodil scriptum thread artifacts thr_abc123
  dodil scriptum thread artifacts thr_abc123 --save ./out/artifacts
  dodil scriptum thread artifacts thr_abc123 -o json | jq -r '.[].name'

Exit codes: 0 listed or saved, 2 bad flag or --save DIR not usable, 5 refused by the server (e.g.
listing artifacts is not offered), 6 unreachable, 7 a download failed, was incomplete or of the
wrong size, 130 interrupted.")]
    Artifacts(ArtifactsArgs),
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// Thread to resume
    #[arg(value_name = "THREAD_ID")]
    pub thread_id: String,

    /// New input for the waiting or failed step: inline JSON, @FILE, or @- for stdin
    #[arg(long, value_name = "JSON|@FILE|@-")]
    pub input: Option<String>,

    /// Then follow the thread to its end, as `thread watch` does
    #[arg(long)]
    pub watch: bool,

    /// With --watch: once the thread has ended, save its output and step files to DIR, and every
    /// value it yielded (also those before the resume) to yields.jsonl
    #[arg(long, value_name = "DIR", requires = "watch")]
    pub save: Option<PathBuf>,

    /// Let --save use a non-empty DIR, replacing dodil's files in it (other files are left alone)
    #[arg(long, requires = "save")]
    pub force: bool,

    #[command(flatten)]
    pub follow: FollowArgs,
}

#[derive(Debug, Args)]
pub struct CancelArgs {
    /// Thread to cancel
    #[arg(value_name = "THREAD_ID")]
    pub thread_id: String,

    /// Why, recorded with the cancellation
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct ArtifactsArgs {
    /// Thread whose artifacts to list
    #[arg(value_name = "THREAD_ID")]
    pub thread_id: String,

    /// Download every artifact into DIR (each file whole or not at all, sizes checked)
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// Allow --save into a non-empty DIR, replacing files of the same names
    #[arg(long, requires = "save")]
    pub force: bool,
}

/// The flags that describe a new thread (shared by `create` and `run`).
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Script to run
    #[arg(value_name = "SCRIPT")]
    pub script: String,

    /// Input: inline JSON, @FILE, or @- for stdin (validated before anything is sent)
    #[arg(long, value_name = "JSON|@FILE|@-")]
    pub input: Option<String>,

    /// Script version to run (0 = the active version)
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(i32).range(0..))]
    pub version: i32,

    /// Load the tenant's environment variables into the run
    #[arg(long)]
    pub env: bool,

    /// Override the default timeout, e.g. 90s, 5m, 1h30m (accepted but not enforced by the
    /// service yet)
    #[arg(long, value_name = "DUR")]
    pub timeout: Option<String>,

    /// A label for the thread, KEY=VALUE; repeat for more
    #[arg(long = "metadata", value_name = "K=V")]
    pub metadata: Vec<String>,

    /// Webhook called when the thread completes (accepted but not enforced by the service yet)
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub create: CreateArgs,

    /// Print the thread's result once it has ended
    #[arg(long)]
    pub result: bool,

    /// Save the output and step files to DIR once the thread has ended
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// Let --save use a non-empty DIR, replacing dodil's files in it (other files are left alone);
    /// with --inputs, redo every input, also those a run before completed
    #[arg(long, requires = "save")]
    pub force: bool,

    /// One thread per non-empty line of FILE (or stdin: -), each line the input as JSON; all
    /// lines are checked before the first thread is created
    #[arg(long, value_name = "FILE|-", conflicts_with = "input")]
    pub inputs: Option<PathBuf>,

    /// With --inputs: at most N threads running at once
    #[arg(long, value_name = "N", default_value_t = 4, requires = "inputs",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub parallel: u32,

    /// With many threads: stop at the first one that ends other than COMPLETED
    #[arg(long, requires = "inputs")]
    pub fail_fast: bool,

    #[command(flatten)]
    pub follow: FollowArgs,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Threads to follow, all at once; `-` reads the ids from stdin, one a line
    #[arg(value_name = "THREAD_ID", required = true, num_args = 1..)]
    pub thread_ids: Vec<String>,

    /// With many threads: stop at the first one that ends other than COMPLETED
    #[arg(long)]
    pub fail_fast: bool,

    /// Follow one step instead (e.g. 1.0.2): its snapshot, decision, and end; the exit code
    /// comes from the step
    #[arg(long, value_name = "PATH")]
    pub step: Option<String>,

    #[command(flatten)]
    pub follow: FollowArgs,
}

/// How a thread is followed (shared by `run` and `watch`).
#[derive(Debug, Args)]
pub struct FollowArgs {
    /// Stop following after DUR, e.g. 30m (exit 6; the thread goes on running)
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub follow_timeout: Option<Duration>,

    /// Keep following while the thread is paused for `thread resume`, instead of exiting with 4
    #[arg(long)]
    pub wait_paused: bool,

    /// How long to keep retrying while the server cannot be reached or keeps failing, before
    /// giving up with exit 6
    #[arg(long, value_name = "DUR", default_value = "60s", value_parser = parse_duration)]
    pub retry_budget: Duration,
}

#[derive(Debug, Args)]
pub struct GetArgs {
    /// Thread to show
    #[arg(value_name = "THREAD_ID")]
    pub thread_id: String,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only threads of this script
    #[arg(long, value_name = "NAME")]
    pub script: Option<String>,

    /// Only threads in this status (or its full enum name, e.g. THREAD_STATUS_FAILED; any case)
    #[arg(long, value_name = "STATUS", value_parser = StatusParser)]
    pub status: Option<ThreadStatus>,

    /// Threads to ask for per call
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(i32).range(1..=1000))]
    pub page_size: Option<i32>,

    /// Stop after N threads
    #[arg(long, value_name = "N", default_value_t = 50, conflicts_with = "all",
          value_parser = parse_limit)]
    pub limit: usize,

    /// Follow every page to the end
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ResultArgs {
    /// Thread whose result to fetch
    #[arg(value_name = "THREAD_ID")]
    pub thread_id: String,

    /// Write output.json, summary.json, yields.jsonl and steps/ into DIR (created if missing)
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// Follow the thread to its end first (live progress on stderr)
    #[arg(long)]
    pub wait: bool,

    #[command(flatten)]
    pub follow: FollowArgs,

    /// Let --save use a non-empty DIR, replacing dodil's files in it (other files are left alone)
    #[arg(long, requires = "save")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct StepsArgs {
    /// Thread whose steps to show
    #[arg(value_name = "THREAD_ID")]
    pub thread_id: String,

    /// One step, by path (e.g. 1.2.0): its detail, diagnostics, input and output
    #[arg(long, value_name = "PATH")]
    pub step: Option<String>,

    /// Stream the full input and output of every step (or of --step), reassembling large ones
    #[arg(long)]
    pub detail: bool,

    /// Write steps/<path>/{step,input,output}.json into DIR (created if missing); implies --detail
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    /// Let --save use a non-empty DIR, replacing dodil's files in it (other files are left alone)
    #[arg(long, requires = "save")]
    pub force: bool,
}

fn parse_duration(text: &str) -> Result<Duration, String> {
    crate::input::parse_duration("duration", text)
        .map_err(|_| "expected a number and a unit (ms, s, m, h), e.g. 90s, 5m, 1h30m".to_string())
}

fn parse_limit(text: &str) -> Result<usize, String> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            "expected a number of threads, 1 or more (--all lists every one)".to_string()
        })
}

fn parse_speed(text: &str) -> Result<f64, String> {
    let (low, high) = (
        crate::devserver::SPEED_RANGE.start(),
        crate::devserver::SPEED_RANGE.end(),
    );
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|speed| crate::devserver::SPEED_RANGE.contains(speed))
        .ok_or_else(|| {
            format!("expected a number from {low} to {high}, e.g. 10 (ten times faster)")
        })
}

/// `--status`: the short names as possible values (so completions offer them), parsed by
/// [`ThreadStatus::parse_user`], which also takes any case and the full enum name.
#[derive(Clone, Copy)]
struct StatusParser;

impl TypedValueParser for StatusParser {
    type Value = ThreadStatus;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<ThreadStatus, clap::Error> {
        let parse: fn(&str) -> Result<ThreadStatus, String> = parse_status;
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            ThreadStatus::known_short_names()
                .into_iter()
                .map(PossibleValue::new),
        ))
    }
}

fn parse_status(text: &str) -> Result<ThreadStatus, String> {
    ThreadStatus::parse_user(text).ok_or_else(|| {
        format!(
            "expected one of {} (or the full name, e.g. THREAD_STATUS_FAILED)",
            ThreadStatus::known_short_names().join(", ")
        )
    })
}

/// Runs a local Scriptum simulator: scripted demo threads, scenario files, fault switches.
#[derive(Clone, Debug, Args)]
pub struct DevServerArgs {
    /// Address to listen on; port 0 picks a free one (the first stdout line says which)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:50051")]
    pub listen: SocketAddr,

    /// Require `authorization: Bearer <token>` on every call, the token read from this file
    /// [env: DODIL_DEVSERVER_TOKEN holds the token itself]
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,

    /// Require this bearer token. For local testing only: other users can read argv; prefer
    /// --token-file or DODIL_DEVSERVER_TOKEN
    #[arg(long, value_name = "T", conflicts_with = "token_file")]
    pub token: Option<crate::devserver::Secret>,

    /// Persist threads in this directory [default: $DODIL_DATA_DIR, else
    /// <platform data dir>/dodil/devserver, shared with --endpoint embedded]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Keep threads in memory only; they vanish when the server stops
    #[arg(long, conflicts_with = "data_dir")]
    pub ephemeral: bool,

    /// Serve TLS (https://) with a certificate made at start for localhost, 127.0.0.1 and ::1;
    /// the second stdout line names its CA's PEM file, for a client's --ca-cert
    #[arg(long)]
    pub tls: bool,

    /// Serve TLS with this PEM certificate (chain) instead of a generated one; needs --tls-key
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,

    /// The PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,

    /// Time scale: 10 runs every script ten times faster
    #[arg(
        long,
        value_name = "X",
        default_value_t = 1.0,
        allow_negative_numbers = true,
        value_parser = parse_speed
    )]
    pub speed: f64,

    /// Load scenario files (*.yaml) from this directory (see the README for the format)
    #[arg(long, value_name = "DIR")]
    pub scripts: Option<PathBuf>,

    /// Make CancelThread work (the real service answers UNIMPLEMENTED)
    #[arg(long)]
    pub implement_cancel: bool,

    /// Make ListArtifacts list this directory's files, downloadable from a local HTTP server
    /// (the real service answers UNIMPLEMENTED)
    #[arg(long, value_name = "DIR")]
    pub artifacts: Option<PathBuf>,

    /// Compress every answer with this encoding when the client accepts it
    #[arg(long, value_name = "ENCODING", value_enum)]
    pub compress: Option<Compression>,

    /// Fault switches in the DODIL_DEVSERVER_FAULTS grammar, e.g.
    /// `watch-drop-after=3,unavailable=GetThread:2`; adds to the --fault-* flags. The HTTP
    /// gateway's are only here: http-html-error=METHOD (a proxy's 502 HTML page),
    /// http-non-json=METHOD (a 200 of plain text), http-truncate=METHOD (the body cut in half)
    #[arg(long, value_name = "SPEC", help_heading = "Fault switches")]
    pub faults: Option<String>,

    /// Every watch stream ends (no terminal event) after N live events past its catch-up
    #[arg(long, value_name = "N", help_heading = "Fault switches")]
    pub fault_watch_drop_after: Option<u32>,

    /// Watch streams end where the terminal event would be, without sending it
    #[arg(long, help_heading = "Fault switches")]
    pub fault_watch_no_terminal: bool,

    /// WatchThread and WatchStep answer UNIMPLEMENTED
    #[arg(long, help_heading = "Fault switches")]
    pub fault_watch_unimplemented: bool,

    /// The first N calls of METHOD (an RPC name, or * for each) answer UNAVAILABLE; repeatable
    #[arg(long, value_name = "METHOD:N", help_heading = "Fault switches",
          value_parser = crate::devserver::check_unavailable)]
    pub fault_unavailable: Vec<String>,

    /// Every call waits this many milliseconds before it is answered
    #[arg(long, value_name = "MS", help_heading = "Fault switches")]
    pub fault_latency_ms: Option<u64>,

    /// ListThreads hands back the page token it was given instead of the next one
    #[arg(long, help_heading = "Fault switches")]
    pub fault_page_repeat: bool,

    /// Result streams never send chunk K
    #[arg(long, value_name = "K", help_heading = "Fault switches")]
    pub fault_chunk_skip: Option<u32>,

    /// Result streams send chunk K twice
    #[arg(long, value_name = "K", help_heading = "Fault switches")]
    pub fault_chunk_repeat: Option<u32>,

    /// Result streams send chunk K+1 before chunk K
    #[arg(long, value_name = "K", help_heading = "Fault switches")]
    pub fault_chunk_reorder: Option<u32>,

    /// Result streams send only half of chunk K's bytes
    #[arg(long, value_name = "K", help_heading = "Fault switches")]
    pub fault_chunk_short: Option<u32>,

    /// Result streams never set is_final
    #[arg(long, help_heading = "Fault switches")]
    pub fault_chunk_no_final: bool,

    /// Result streams send one more chunk after the final one
    #[arg(long, help_heading = "Fault switches")]
    pub fault_chunk_extra: bool,

    /// StreamThreadResult's meta total_bytes is 1000 more than the chunks carry
    #[arg(long, help_heading = "Fault switches")]
    pub fault_meta_total_mismatch: bool,

    /// GetThreadResult's output_total_bytes is 1000 more than the stream delivers
    #[arg(long, help_heading = "Fault switches")]
    pub fault_result_total_mismatch: bool,

    /// Every status is 42 (outside the contract); WatchThread adds an event with no variant
    #[arg(long, help_heading = "Fault switches")]
    pub fault_bad_enums: bool,

    /// Step paths and names carry terminal escapes, `..`, `/abs`, `a/b` and NUL
    #[arg(long, help_heading = "Fault switches")]
    pub fault_hostile_names: bool,

    /// GetThreadResult returns the whole output uncapped and StreamThreadResult sends it as
    /// one message (for max-message-size tests)
    #[arg(long, help_heading = "Fault switches")]
    pub fault_huge_message: bool,
}

/// A gRPC message compression the dev server can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Compression {
    Gzip,
    Zstd,
}
