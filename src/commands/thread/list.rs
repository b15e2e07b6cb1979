//! `thread list`: pages through ListThreads, printing as pages arrive where the format allows.

use std::collections::HashSet;

use crate::cli::ListArgs;
use crate::client::{CallErrorKind, ListQuery};
use crate::context::Context;
use crate::error::ExitStatus;
use crate::output::list_writer::ThreadListWriter;

/// Empty pages in a row (each with a next token) after which the list stops.
const MAX_EMPTY_PAGES: u32 = 100;

/// The most threads a page is asked to hold unless `--page-size` says otherwise (the most
/// `--page-size` accepts too).
const MAX_PAGE_SIZE: usize = 1000;

pub async fn run(ctx: &Context, args: ListArgs) -> anyhow::Result<ExitStatus> {
    let client = ctx.client().await?;
    let limit = if args.all { usize::MAX } else { args.limit };
    // As many as wanted, up to the most a server is likely to allow: over a remote link every
    // page is a round trip (`--all` of 2 000 threads took 20 pages of 100). A server clamps a
    // larger ask to its own maximum, and an answer too large to accept is asked again smaller.
    let page_size = args
        .page_size
        .unwrap_or_else(|| limit.clamp(1, MAX_PAGE_SIZE) as i32);
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
        let page = match client.list_threads(&query).await {
            Ok(page) => page,
            Err(err) if err.kind == CallErrorKind::MessageTooLarge && query.page_size > 1 => {
                query.page_size = (query.page_size / 4).max(1);
                ctx.printer.status(&format!(
                    "a page of threads was over the message limit; asking for {} at a time",
                    query.page_size
                ));
                continue;
            }
            Err(err) => return Err(err.into()),
        };
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
