//! Many follows of a fleet against a scripted server, on tokio's paused clock: the stream bound
//! holds, the poller's calls stay few however many threads, and each thread's events come once.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::stream::FuturesUnordered;

use super::*;
use crate::client::{Code, EventStream, ThreadPage};
use crate::follow::thread::placeholder;
use crate::follow::{End, FollowOptions, Observer};
use crate::model::event::{StepStarted, ThreadCompleted, ThreadStarted};
use crate::model::{EventKind, ThreadEvent, ThreadStatus};

/// Threads that run from the start of the test until their own end.
struct Fake {
    start: Instant,
    /// Thread id → how long it runs.
    runs: HashMap<String, Duration>,
    streams: bool,
    open: Arc<AtomicUsize>,
    most_open: AtomicUsize,
    watches: Cell<u64>,
    gets: Cell<u64>,
    lists: Cell<u64>,
}

impl Fake {
    fn new(count: usize, streams: bool) -> Fake {
        let runs = (0..count)
            .map(|n| {
                let run = Duration::from_millis(500 + (n as u64 * 7919) % 30_000);
                (format!("thr_{n}"), run)
            })
            .collect();
        Fake {
            start: Instant::now(),
            runs,
            streams,
            open: Arc::default(),
            most_open: AtomicUsize::new(0),
            watches: Cell::new(0),
            gets: Cell::new(0),
            lists: Cell::new(0),
        }
    }

    fn ends_at(&self, id: &str) -> Option<Instant> {
        self.runs.get(id).map(|run| self.start + *run)
    }

    fn thread(&self, id: &str) -> Result<Thread, CallError> {
        let ends = self
            .ends_at(id)
            .ok_or_else(|| CallError::new("GetThread", Code::NotFound, "no such thread"))?;
        let done = Instant::now() >= ends;
        Ok(Thread {
            status: if done {
                ThreadStatus::Completed
            } else {
                ThreadStatus::Running
            },
            current_step_path: "1".into(),
            ..placeholder(id)
        })
    }
}

fn event(id: &str, kind: EventKind) -> ThreadEvent {
    ThreadEvent {
        thread_id: id.into(),
        timestamp_ms: 1,
        kind,
    }
}

/// Counts a stream open until it is dropped.
struct Open(Arc<AtomicUsize>);

impl Drop for Open {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Source for Fake {
    async fn watch(&self, id: &str) -> Result<EventStream, CallError> {
        self.watches.set(self.watches.get() + 1);
        if !self.streams {
            return Err(CallError::new("WatchThread", Code::Unimplemented, "no"));
        }
        let ends = self.ends_at(id).expect("a known thread");
        let now_open = self.open.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_open.fetch_max(now_open, Ordering::SeqCst);
        let open = Open(self.open.clone());
        let head = vec![
            event(
                id,
                EventKind::Started(ThreadStarted {
                    script_name: "s".into(),
                    total_steps: 1,
                }),
            ),
            event(
                id,
                EventKind::StepStarted(StepStarted {
                    step_path: "1".into(),
                    name: "one".into(),
                    primitive: "execute".into(),
                    tool: String::new(),
                }),
            ),
        ];
        let end = event(
            id,
            EventKind::Completed(ThreadCompleted {
                duration_ms: 1,
                steps_executed: 1,
            }),
        );
        let tail = tokio_stream::once(end).then(move |e| async move {
            tokio::time::sleep_until(ends).await;
            e
        });
        let stream = tokio_stream::iter(head).chain(tail).map(move |e| {
            let _counted = &open;
            Ok(e)
        });
        Ok(Box::pin(stream))
    }

    async fn get(&self, id: &str) -> Result<Thread, CallError> {
        self.gets.set(self.gets.get() + 1);
        self.thread(id)
    }
}

impl Server for Fake {
    async fn list(&self, _page_token: String) -> Result<ThreadPage, CallError> {
        self.lists.set(self.lists.get() + 1);
        let threads = self
            .runs
            .keys()
            .map(|id| self.thread(id).expect("listed"))
            .collect();
        Ok(ThreadPage {
            threads,
            next_page_token: String::new(),
        })
    }
}

#[derive(Default)]
struct Seen {
    events: Vec<ThreadEvent>,
}

impl Observer for Seen {
    fn event(&mut self, event: &ThreadEvent) -> anyhow::Result<()> {
        self.events.push(event.clone());
        Ok(())
    }
}

/// Follows every thread of `fake` through one fleet; returns each one's end and events.
async fn follow_all(fleet: &Fleet<Fake>) -> Vec<(String, End, ThreadStatus, Vec<ThreadEvent>)> {
    let options = FollowOptions {
        handle_ctrl_c: false,
        ..FollowOptions::default()
    };
    let ids: Vec<String> = fleet.server().runs.keys().cloned().collect();
    let follows: FuturesUnordered<_> = ids
        .iter()
        .map(|id| {
            let options = &options;
            async move {
                let member = fleet.member();
                let mut seen = Seen::default();
                let outcome = crate::follow::thread::follow(&member, id, options, &mut seen)
                    .await
                    .expect("followed to the end");
                (id.clone(), outcome.end, outcome.thread.status, seen.events)
            }
        })
        .collect();
    let all = async { follows.collect::<Vec<_>>().await };
    tokio::select! {
        all = all => all,
        () = fleet.run_poller() => unreachable!(),
    }
}

fn terminal_events(events: &[ThreadEvent]) -> usize {
    events
        .iter()
        .filter(|e| {
            e.kind.terminal_status().is_some()
                || matches!(&e.kind, EventKind::Progress(p) if p.status.is_terminal())
        })
        .count()
}

#[tokio::test(start_paused = true)]
async fn streams_stay_under_the_bound_and_the_rest_are_polled_then_streamed() {
    let fleet = Fleet::new(Fake::new(40, true), 5);
    let ended = follow_all(&fleet).await;
    let fake = fleet.server();
    assert_eq!(ended.len(), 40);
    for (id, end, status, events) in &ended {
        assert_eq!(
            (*end, *status),
            (End::Terminal, ThreadStatus::Completed),
            "{id}"
        );
        assert_eq!(terminal_events(events), 1, "{id}: {events:?}");
        let starts = events
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Started(_)))
            .count();
        assert!(starts <= 1, "{id}: {events:?}");
    }
    let most = fake.most_open.load(Ordering::SeqCst);
    assert!(most <= 5, "{most} streams at once");
    assert!(
        fake.watches.get() > 5,
        "threads past the bound took a stream later"
    );
}

#[tokio::test(start_paused = true)]
async fn polling_a_thousand_threads_costs_few_calls_a_second() {
    let fleet = Fleet::new(Fake::new(1000, false), MAX_STREAMS);
    let started = Instant::now();
    let ended = follow_all(&fleet).await;
    let took = started.elapsed().as_secs_f64();
    let fake = fleet.server();
    for (id, end, status, events) in &ended {
        assert_eq!(
            (*end, *status),
            (End::Terminal, ThreadStatus::Completed),
            "{id}"
        );
        assert_eq!(terminal_events(events), 1, "{id}: {events:?}");
    }
    let calls = fake.gets.get() + fake.lists.get();
    assert_eq!(calls, fleet.poller_calls());
    let per_second = calls as f64 / took;
    assert!(
        per_second <= 1.0 / CALL_GAP.as_secs_f64() + 1.0,
        "{calls} calls in {took:.1}s"
    );
    // Once WatchThread said UNIMPLEMENTED, no follow asked it again (a few were under way).
    assert!(
        fake.watches.get() <= MAX_STREAMS as u64,
        "{}",
        fake.watches.get()
    );
    // Most of the threads were seen by ListThreads pages, not one GetThread each.
    assert!(
        fake.gets.get() < 1000,
        "{} GetThread calls",
        fake.gets.get()
    );
}
