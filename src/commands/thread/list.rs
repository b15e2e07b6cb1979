//! `thread list`: pages through ListThreads, printing as pages arrive where the format allows.

use std::collections::HashSet;

use crate::cli::{ListArgs, OutputFormat};
use crate::client::ListQuery;
use crate::context::Context;
use crate::error::ExitStatus;
use crate::model::Thread;
use crate::output::thread::{current_step_cell, status_cell};
use crate::output::{self, age, duration_ms, terminal_safe};

use crate::model::event::now_ms;

pub async fn run(ctx: &Context, args: ListArgs) -> anyhow::Result<ExitStatus> {
    let client = ctx.client().await?;
    let limit = if args.all { usize::MAX } else { args.limit };
    let page_size = args.page_size.unwrap_or_else(|| limit.clamp(1, 100) as i32);
    let mut query = ListQuery {
        page_size,
        page_token: String::new(),
        status: args.status,
        script: args.script.clone(),
    };

    let mut sink = Sink::new(ctx);
    let mut seen_tokens = HashSet::new();
    let mut printed = 0usize;
    loop {
        let page = client.list_threads(&query).await?;
        for thread in page.threads.into_iter().take(limit - printed) {
            sink.push(thread)?;
            printed += 1;
        }
        if printed >= limit || page.next_page_token.is_empty() {
            break;
        }
        // A server may hand back a token it already gave; following it would loop forever.
        if !seen_tokens.insert(page.next_page_token.clone()) {
            ctx.printer.warn(&format!(
                "the server repeated a page token; stopping after {printed} threads (the list may be incomplete)"
            ));
            break;
        }
        query.page_token = page.next_page_token;
    }
    sink.finish()?;
    Ok(ExitStatus::Success)
}

/// Where threads go: streamed out for json/jsonl, collected for a table or YAML.
struct Sink<'a> {
    ctx: &'a Context,
    collected: Vec<Thread>,
    count: usize,
}

impl<'a> Sink<'a> {
    fn new(ctx: &'a Context) -> Self {
        Sink {
            ctx,
            collected: Vec::new(),
            count: 0,
        }
    }

    fn push(&mut self, thread: Thread) -> anyhow::Result<()> {
        let printer = &self.ctx.printer;
        match self.ctx.output {
            OutputFormat::Jsonl => printer.data_line(&serde_json::to_string(&thread)?)?,
            OutputFormat::Json => {
                // A JSON array written element by element, so memory does not grow with --all.
                let item = serde_json::to_string_pretty(&thread)?.replace('\n', "\n  ");
                let lead = if self.count == 0 { "[\n  " } else { ",\n  " };
                printer.data(&format!("{lead}{item}"))?;
            }
            OutputFormat::Table | OutputFormat::Yaml => self.collected.push(thread),
        }
        self.count += 1;
        Ok(())
    }

    fn finish(self) -> anyhow::Result<()> {
        let printer = &self.ctx.printer;
        match self.ctx.output {
            OutputFormat::Jsonl => Ok(()),
            OutputFormat::Json if self.count == 0 => printer.data_line("[]"),
            OutputFormat::Json => printer.data("\n]\n"),
            OutputFormat::Yaml => printer.data(&serde_yaml::to_string(&self.collected)?),
            OutputFormat::Table => {
                if self.collected.is_empty() {
                    printer.status("no threads found");
                    return Ok(());
                }
                let now = now_ms();
                let mut table = output::table(
                    printer,
                    &[
                        "ID", "SCRIPT", "VERSION", "STATUS", "CREATED", "DURATION", "STEP",
                    ],
                );
                for thread in &self.collected {
                    table.add_row(vec![
                        terminal_safe(&thread.thread_id).into_owned(),
                        terminal_safe(&thread.script_name).into_owned(),
                        thread.script_version.to_string(),
                        status_cell(printer, thread.status),
                        age(thread.created_at_ms, now),
                        thread.duration_ms(now).map_or("-".into(), duration_ms),
                        current_step_cell(thread),
                    ]);
                }
                output::print_table(printer, &table)
            }
        }
    }
}
