//! Many threads followed at once over one client (one connection), each by the thread engine of
//! `thread.rs` unchanged: a [`Fleet`] hands each follow a [`Member`], the engine's [`Source`].
//!
//! - Streams are bounded ([`MAX_STREAMS`]): a server caps the HTTP/2 streams of a connection
//!   (often 100; hyper's default is 200) and the ones past the cap wait inside h2 for as long as
//!   the threads before them run. A thread with no stream to be had is polled, and takes a stream
//!   as soon as one frees (the engine asks [`Source::may_stream`] between polls).
//! - GetThread is never called per thread at scale: every follow's look goes to one shared poller
//!   ([`Fleet::run_poller`]) that answers all the looks waiting at a sweep together, with one
//!   GetThread each when they are few and with ListThreads pages (newest first, a large page)
//!   when they are many. Sweeps are spaced by the calls they made ([`CALL_GAP`] each), so the
//!   server sees at most `1 / CALL_GAP` calls a second however many threads are followed.
//! - Each answer goes to the engine that asked, whose ledger keeps its events to exactly once.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{oneshot, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::{sleep_until, Instant};
use tokio_stream::StreamExt;

use crate::client::{CallError, CallErrorKind, Client, Code, EventStream, ListQuery, ThreadPage};
use crate::model::Thread;

use super::thread::Source;

/// Watch streams open at once, at most. Below the 100 streams a production server commonly
/// allows a connection, with room left for the unary calls beside them (each is a stream too).
pub const MAX_STREAMS: usize = 64;
/// The poller's spacing: one call to the server per this much time, on average (10 a second).
pub const CALL_GAP: Duration = Duration::from_millis(100);
/// Up to this many looks waiting at a sweep are answered by GetThread each; more by ListThreads.
const GET_EACH_UP_TO: usize = 4;
/// ListThreads page size for a sweep (servers clamp it to their own maximum).
const LIST_PAGE: i32 = 1000;
/// Pages one sweep reads at most before asking GetThread for the threads it did not find.
const MAX_PAGES: usize = 20;

/// What a fleet needs from a server: the engine's calls and ListThreads.
pub(crate) trait Server: Source {
    fn list(&self, page_token: String) -> impl Future<Output = Result<ThreadPage, CallError>>;
}

impl Server for Client {
    fn list(&self, page_token: String) -> impl Future<Output = Result<ThreadPage, CallError>> {
        let query = ListQuery {
            page_size: LIST_PAGE,
            page_token,
            status: None,
            script: None,
        };
        async move { self.list_threads(&query).await }
    }
}

type Answer = oneshot::Sender<Result<Thread, CallError>>;

/// The shared part of many follows: the stream bound and the poller.
pub struct Fleet<S> {
    server: S,
    streams: Arc<Semaphore>,
    /// The looks waiting for the next sweep, by thread.
    wanted: RefCell<HashMap<String, Vec<Answer>>>,
    wake: Notify,
    /// ListThreads refused (an old server): GetThread only.
    no_list: Cell<bool>,
    /// WatchThread is UNIMPLEMENTED: no follow tries a stream again (each would cost a call).
    no_streams: Cell<bool>,
    /// Calls the poller made, for tests and `-v`.
    calls: Cell<u64>,
}

impl<S: Server> Fleet<S> {
    pub fn new(server: S, max_streams: usize) -> Fleet<S> {
        Fleet {
            server,
            streams: Arc::new(Semaphore::new(max_streams)),
            wanted: RefCell::new(HashMap::new()),
            wake: Notify::new(),
            no_list: Cell::new(false),
            no_streams: Cell::new(false),
            calls: Cell::new(0),
        }
    }

    pub fn server(&self) -> &S {
        &self.server
    }

    /// The engine's source for one follow.
    pub(crate) fn member(&self) -> Member<'_, S> {
        Member {
            fleet: self,
            reserved: RefCell::new(None),
        }
    }

    /// Calls the poller has made so far.
    pub fn poller_calls(&self) -> u64 {
        self.calls.get()
    }

    /// The thread as the next sweep finds it.
    pub(crate) async fn look(&self, thread_id: &str) -> Result<Thread, CallError> {
        let (answer, answered) = oneshot::channel();
        self.wanted
            .borrow_mut()
            .entry(thread_id.to_string())
            .or_default()
            .push(answer);
        self.wake.notify_one();
        answered.await.unwrap_or_else(|_| {
            Err(CallError::new(
                "GetThread",
                Code::Unavailable,
                "poller gone",
            ))
        })
    }

    /// Answers the looks, sweep after sweep, for as long as it is polled (run it beside the
    /// follows; it never ends by itself).
    pub async fn run_poller(&self) {
        let mut next_call = Instant::now();
        loop {
            while self.wanted.borrow().is_empty() {
                self.wake.notified().await;
            }
            sleep_until(next_call).await;
            let batch = std::mem::take(&mut *self.wanted.borrow_mut());
            let calls = if batch.len() <= GET_EACH_UP_TO || self.no_list.get() {
                self.get_each(batch).await
            } else {
                self.sweep(batch).await
            };
            self.calls.set(self.calls.get() + calls);
            next_call = Instant::now() + CALL_GAP * calls as u32;
        }
    }

    /// GetThread for each thread of `batch`, all at once. Returns the calls made.
    async fn get_each(&self, batch: HashMap<String, Vec<Answer>>) -> u64 {
        let calls = batch.len() as u64;
        let gets = batch.into_iter().map(|(id, answers)| async move {
            let got = self.server.get(&id).await;
            answer_all(answers, got);
        });
        join_all(gets).await;
        calls
    }

    /// ListThreads pages until every thread of `batch` was found (or the pages run out), then
    /// GetThread for the ones not found. Returns the calls made.
    async fn sweep(&self, mut batch: HashMap<String, Vec<Answer>>) -> u64 {
        let mut calls = 0;
        let mut token = String::new();
        for _ in 0..MAX_PAGES {
            calls += 1;
            let page = match self.server.list(token).await {
                Ok(page) => page,
                Err(error) if !error.is_retryable() => {
                    // A server without (our) ListThreads: GetThread from now on.
                    self.no_list.set(true);
                    break;
                }
                Err(error) => {
                    // Each follow counts the failure against its retry budget.
                    for (_, answers) in batch.drain() {
                        answer_all(answers, Err(error.clone()));
                    }
                    return calls;
                }
            };
            for thread in page.threads {
                if let Some(answers) = batch.remove(&thread.thread_id) {
                    answer_all(answers, Ok(thread));
                }
            }
            if batch.is_empty() || page.next_page_token.is_empty() {
                break;
            }
            token = page.next_page_token;
        }
        calls + self.get_each(batch).await
    }
}

fn answer_all(answers: Vec<Answer>, got: Result<Thread, CallError>) {
    for answer in answers {
        let _ = answer.send(got.clone());
    }
}

/// Runs the futures together, on this task.
async fn join_all<F: Future<Output = ()>>(futures: impl IntoIterator<Item = F>) {
    let mut all: futures_util::stream::FuturesUnordered<F> = futures.into_iter().collect();
    while all.next().await.is_some() {}
}

/// One follow of a fleet: its streams count against the bound, its looks go to the poller.
pub(crate) struct Member<'a, S> {
    fleet: &'a Fleet<S>,
    /// A stream slot taken by `may_stream`, for the next `watch`.
    reserved: RefCell<Option<OwnedSemaphorePermit>>,
}

impl<S: Server> Source for Member<'_, S> {
    async fn watch(&self, thread_id: &str) -> Result<EventStream, CallError> {
        let reserved = self.reserved.borrow_mut().take();
        let permit = match reserved {
            Some(permit) => permit,
            // (A catch-up stream, which the engine did not ask leave for: it waits its turn.)
            None => self
                .fleet
                .streams
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| CallError::new("WatchThread", Code::Unavailable, "closed"))?,
        };
        let stream = self
            .fleet
            .server
            .watch(thread_id)
            .await
            .inspect_err(|error| {
                if error.kind == CallErrorKind::Unimplemented {
                    self.fleet.no_streams.set(true);
                }
            })?;
        // The slot frees when the engine drops the stream.
        Ok(Box::pin(stream.map(move |item| {
            let _slot = &permit;
            item
        })))
    }

    async fn get(&self, thread_id: &str) -> Result<Thread, CallError> {
        self.fleet.look(thread_id).await
    }

    fn may_stream(&self) -> bool {
        if self.fleet.no_streams.get() {
            return false;
        }
        if self.reserved.borrow().is_some() {
            return true;
        }
        match self.fleet.streams.clone().try_acquire_owned() {
            Ok(permit) => {
                *self.reserved.borrow_mut() = Some(permit);
                true
            }
            Err(_) => false,
        }
    }
}

#[cfg(test)]
mod tests;
