//! Runs the dev server standalone before the CLI wires `dodil scriptum dev-server`:
//! `cargo run --example devserver -- --listen 127.0.0.1:0 --ephemeral --speed 10`.

use clap::Parser;
use dodil::devserver::{run_standalone, DevServerArgs};

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: DevServerArgs,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    run_standalone(Cli::parse().args).await
}
