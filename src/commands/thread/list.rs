//! `thread list`: pages through ListThreads, printing as pages arrive where the format allows.

use std::collections::HashSet;

use crate::cli::ListArgs;
use crate::client::ListQuery;
use crate::context::Context;
use crate::error::ExitStatus;
use crate::output::list_writer::ThreadListWriter;

/// Empty pages in a row (each with a next token) after which the list stops.
const MAX_EMPTY_PAGES: u32 = 100;

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

    let mut threads = ThreadListWriter::new(&ctx.printer, ctx.output);
    let mut seen_tokens = HashSet::new();
    let mut printed = 0usize;
    let mut empty_in_a_row = 0u32;
    loop {
        let page = client.list_threads(&query).await?;
        // A page may be shorter than asked, even empty, and still not the last: only the token
        // says when the list ends. A server that sends nothing but empty pages with new tokens
        // would page forever, so a long run of them ends the list.
        empty_in_a_row = if page.threads.is_empty() {
            empty_in_a_row + 1
        } else {
            0
        };
        for thread in page.threads.into_iter().take(limit - printed) {
            threads.push(thread)?;
            printed += 1;
        }
        if printed >= limit || page.next_page_token.is_empty() {
            break;
        }
        if empty_in_a_row >= MAX_EMPTY_PAGES {
            ctx.printer.warn(&format!(
                "the server sent {MAX_EMPTY_PAGES} empty pages in a row; stopping after {printed} threads (the list may be incomplete)"
            ));
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
    threads.finish()?;
    Ok(ExitStatus::Success)
}
