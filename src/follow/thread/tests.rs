//! The thread engine against a scripted server, on tokio's paused clock (backoffs cost no wall
//! time).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::Duration;

use tokio_stream::StreamExt;

use super::*;
use crate::client::Code;
use crate::error::{report, ExitStatus};
use crate::follow::stop::Followed;
use crate::model::event::{StepCompleted, StepStarted, ThreadCompleted, ThreadStarted};
use crate::model::EventKind;

/// A failed call as the client reports it.
fn fail(code: Code, message: &str) -> CallError {
    CallError::new("Test", code, message)
}

/// What one WatchThread call does.
#[derive(Clone)]
enum Open {
    Fail(CallError),
    /// Replays the timeline from the start up to `upto` events, then `then`.
    Events {
        upto: usize,
        then: Then,
    },
    /// Sends exactly these events, then `then`.
    These(Vec<ThreadEvent>, Then),
}

#[derive(Clone)]
enum Then {
    End,
    Break(CallError),
    Silent,
}

struct Fake {
    timeline: Vec<ThreadEvent>,
    opens: RefCell<VecDeque<Open>>,
    /// Used once `opens` is empty.
    default_open: Open,
    /// GetThread answers in order; the last one repeats.
    gets: RefCell<VecDeque<Result<Thread, CallError>>>,
    watch_calls: Cell<usize>,
    get_calls: Cell<usize>,
}

impl Fake {
    fn new(timeline: Vec<ThreadEvent>) -> Fake {
        let all = timeline.len();
        Fake {
            timeline,
            opens: RefCell::new(VecDeque::new()),
            default_open: Open::Events {
                upto: all,
                then: Then::End,
            },
            gets: RefCell::new(VecDeque::new()),
            watch_calls: Cell::new(0),
            get_calls: Cell::new(0),
        }
    }

    fn opens(self, opens: Vec<Open>) -> Fake {
        *self.opens.borrow_mut() = opens.into();
        self
    }

    fn gets(self, gets: Vec<Result<Thread, CallError>>) -> Fake {
        *self.gets.borrow_mut() = gets.into();
        self
    }
}

impl Source for Fake {
    async fn watch(&self, _thread_id: &str) -> Result<EventStream, CallError> {
        self.watch_calls.set(self.watch_calls.get() + 1);
        let open = self
            .opens
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| self.default_open.clone());
        match open {
            Open::Fail(status) => Err(status),
            Open::Events { .. } | Open::These(..) => {
                let (events, then) = match open {
                    Open::Events { upto, then } => (self.timeline[..upto].to_vec(), then),
                    Open::These(events, then) => (events, then),
                    Open::Fail(_) => unreachable!(),
                };
                let events: Vec<Result<ThreadEvent, CallError>> =
                    events.into_iter().map(Ok).collect();
                let head = tokio_stream::iter(events);
                Ok(match then {
                    Then::End => Box::pin(head),
                    Then::Break(status) => Box::pin(head.chain(tokio_stream::once(Err(status)))),
                    Then::Silent => Box::pin(head.chain(tokio_stream::pending())),
                })
            }
        }
    }

    async fn get(&self, _thread_id: &str) -> Result<Thread, CallError> {
        self.get_calls.set(self.get_calls.get() + 1);
        let mut gets = self.gets.borrow_mut();
        if gets.len() > 1 {
            gets.pop_front().unwrap()
        } else {
            gets.front()
                .cloned()
                .unwrap_or_else(|| Ok(thread(ThreadStatus::Running, "")))
        }
    }
}

#[derive(Default)]
struct Recorder {
    events: Vec<ThreadEvent>,
    notices: Vec<String>,
}

impl Observer for Recorder {
    fn event(&mut self, event: &ThreadEvent) -> anyhow::Result<()> {
        self.events.push(event.clone());
        Ok(())
    }
    fn notice(&mut self, message: &str) {
        self.notices.push(message.to_string());
    }
}

fn thread(status: ThreadStatus, step: &str) -> Thread {
    Thread {
        status,
        current_step_path: step.to_string(),
        ..placeholder("thr_1")
    }
}

fn event(ts: i64, kind: EventKind) -> ThreadEvent {
    ThreadEvent {
        thread_id: "thr_1".into(),
        timestamp_ms: ts,
        kind,
    }
}

/// started, two steps (start + completion each), completed.
fn hello() -> Vec<ThreadEvent> {
    let start = |ts, path: &str| {
        event(
            ts,
            EventKind::StepStarted(StepStarted {
                step_path: path.into(),
                name: format!("step{path}"),
                primitive: "execute".into(),
                tool: "t".into(),
            }),
        )
    };
    let done = |ts, path: &str| {
        event(
            ts,
            EventKind::StepCompleted(StepCompleted {
                step_path: path.into(),
                name: format!("step{path}"),
                duration_ms: 5,
            }),
        )
    };
    vec![
        event(
            1,
            EventKind::Started(ThreadStarted {
                script_name: "demo/hello".into(),
                total_steps: 2,
            }),
        ),
        start(2, "1"),
        done(7, "1"),
        start(7, "2"),
        done(12, "2"),
        event(
            12,
            EventKind::Completed(ThreadCompleted {
                duration_ms: 11,
                steps_executed: 2,
            }),
        ),
    ]
}

fn options() -> FollowOptions {
    FollowOptions {
        handle_ctrl_c: false,
        retry_budget: Duration::from_secs(5),
        ..FollowOptions::default()
    }
}

async fn follow_fake(
    fake: &Fake,
    options: &FollowOptions,
) -> (anyhow::Result<FollowOutcome>, Recorder) {
    let mut recorder = Recorder::default();
    let result = follow(fake, "thr_1", options, &mut recorder)
        .await
        .map_err(|stop| stop.into_error(Followed::Thread { thread_id: "thr_1" }));
    (result, recorder)
}

fn progress_statuses(recorder: &Recorder) -> Vec<ThreadStatus> {
    recorder
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Progress(p) => Some(p.status),
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn resumes_after_drops_and_reports_each_event_once() {
    let unavailable = fail(Code::Unavailable, "connection reset");
    let fake = Fake::new(hello())
        .opens(vec![
            Open::Events {
                upto: 2,
                then: Then::End,
            },
            Open::Events {
                upto: 4,
                then: Then::Break(unavailable),
            },
            // Nothing new in this one: it ends again.
            Open::Events {
                upto: 3,
                then: Then::End,
            },
        ])
        .gets(vec![
            Ok(thread(ThreadStatus::Running, "1")),
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Completed, "2")),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(recorder.events, hello());
    assert_eq!(outcome.end, End::Terminal);
    assert_eq!(outcome.thread.status, ThreadStatus::Completed);
    assert_eq!(outcome.exit_status(), ExitStatus::Success);
    assert_eq!(fake.watch_calls.get(), 4);
}

#[tokio::test(start_paused = true)]
async fn stream_end_without_terminal_event_is_confirmed_by_get_thread() {
    // The one more stream read once GetThread has found the end brings nothing new.
    let fake = Fake::new(hello())
        .opens(vec![
            Open::Events {
                upto: 5,
                then: Then::End,
            },
            Open::Events {
                upto: 5,
                then: Then::Silent,
            },
        ])
        .gets(vec![Ok(thread(ThreadStatus::Completed, "2"))]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.exit_status(), ExitStatus::Success);
    assert_eq!(recorder.events[..5], hello()[..5]);
    assert_eq!(progress_statuses(&recorder), vec![ThreadStatus::Completed]);
    assert_eq!(fake.watch_calls.get(), 2);
}

#[tokio::test(start_paused = true)]
async fn once_get_thread_finds_the_end_after_a_drop_one_more_stream_brings_the_rest() {
    // The stream dropped before the last step's end; GetThread already says COMPLETED. The
    // replay of one more stream brings what the thread sent since: nothing is lost.
    let fake = Fake::new(hello())
        .opens(vec![Open::Events {
            upto: 3,
            then: Then::End,
        }])
        .gets(vec![Ok(thread(ThreadStatus::Completed, "2"))]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.exit_status(), ExitStatus::Success);
    assert_eq!(recorder.events, hello());
    assert!(outcome.terminal_event.is_some());
    assert_eq!(fake.watch_calls.get(), 2);

    // A server that cannot be reached by then changes nothing: GetThread's word ends it.
    let fake = Fake::new(hello())
        .opens(vec![
            Open::Events {
                upto: 3,
                then: Then::End,
            },
            Open::Fail(fail(Code::Unavailable, "gone")),
        ])
        .gets(vec![Ok(thread(ThreadStatus::Completed, "2"))]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    assert_eq!(progress_statuses(&recorder), vec![ThreadStatus::Completed]);
}

#[tokio::test(start_paused = true)]
async fn unimplemented_stream_falls_back_to_polling() {
    let fake = Fake::new(hello())
        .opens(vec![Open::Fail(fail(Code::Unimplemented, "no"))])
        .gets(vec![
            Ok(thread(ThreadStatus::Pending, "")),
            Ok(thread(ThreadStatus::Running, "1")),
            Ok(thread(ThreadStatus::Running, "1")),
            Err(fail(Code::Unavailable, "blip")),
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Failed, "2")),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.exit_status(), ExitStatus::ThreadFailed);
    use ThreadStatus::*;
    assert_eq!(
        progress_statuses(&recorder),
        vec![Pending, Running, Running, Failed]
    );
    assert!(
        recorder.notices[0].contains("polling"),
        "{:?}",
        recorder.notices
    );
    assert_eq!(fake.watch_calls.get(), 1, "UNIMPLEMENTED is not retried");
}

#[tokio::test(start_paused = true)]
async fn silent_stream_finds_a_pause() {
    let fake = Fake::new(hello())
        .opens(vec![Open::Events {
            upto: 2,
            then: Then::Silent,
        }])
        .gets(vec![Ok(thread(ThreadStatus::Paused, "1"))]);
    let started = Instant::now();
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.end, End::Paused);
    assert_eq!(outcome.exit_status(), ExitStatus::ThreadPaused);
    assert_eq!(recorder.events.len(), 2);
    assert!(started.elapsed() <= Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn wait_paused_keeps_following_to_the_end() {
    let fake = Fake::new(hello())
        .opens(vec![Open::Events {
            upto: 2,
            then: Then::Silent,
        }])
        .gets(vec![
            Ok(thread(ThreadStatus::Paused, "1")),
            Ok(thread(ThreadStatus::Paused, "1")),
            Ok(thread(ThreadStatus::Running, "1")),
            Ok(thread(ThreadStatus::Completed, "2")),
        ]);
    let options = FollowOptions {
        wait_paused: true,
        ..options()
    };
    let (result, recorder) = follow_fake(&fake, &options).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    assert_eq!(recorder.notices.len(), 1, "{:?}", recorder.notices);
}

#[tokio::test(start_paused = true)]
async fn server_gone_gives_up_within_the_budget() {
    let down = fail(Code::Unavailable, "tcp connect error: Connection refused");
    let mut fake = Fake::new(hello()).gets(vec![Err(down.clone())]);
    fake.default_open = Open::Fail(down);
    let started = Instant::now();
    let (result, _) = follow_fake(&fake, &options()).await;
    let took = started.elapsed();
    let err = result.unwrap_err();
    let report = report(&err).unwrap();
    assert_eq!(report.status, ExitStatus::Unreachable);
    assert!(report.message.contains("thr_1"), "{}", report.message);
    assert!(report.hint.unwrap().contains("thread watch thr_1"));
    assert!(
        took >= Duration::from_secs(5) && took < Duration::from_secs(6),
        "{took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn refusals_end_at_once() {
    let fake = Fake::new(hello()).opens(vec![Open::Fail(fail(Code::Unauthenticated, "no token"))]);
    let (result, _) = follow_fake(&fake, &options()).await;
    assert_eq!(
        report(&result.unwrap_err()).unwrap().status,
        ExitStatus::ServerRefused
    );

    let fake = Fake::new(hello())
        .opens(vec![Open::Events {
            upto: 2,
            then: Then::End,
        }])
        .gets(vec![Err(fail(Code::NotFound, "no such thread"))]);
    let (result, _) = follow_fake(&fake, &options()).await;
    let report = report(&result.unwrap_err()).unwrap();
    assert_eq!(report.status, ExitStatus::ServerRefused);
    assert!(
        report.message.contains("thread thr_1 not found"),
        "{}",
        report.message
    );
}

#[tokio::test(start_paused = true)]
async fn unknown_status_is_never_terminal() {
    let fake = Fake::new(hello())
        .opens(vec![Open::Fail(fail(Code::Unimplemented, "no"))])
        .gets(vec![
            Ok(thread(ThreadStatus::from_i32(42), "1")),
            Ok(thread(ThreadStatus::Cancelled, "1")),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::ThreadCancelled);
    assert_eq!(
        progress_statuses(&recorder),
        vec![ThreadStatus::Unknown(42), ThreadStatus::Cancelled]
    );
}

#[tokio::test(start_paused = true)]
async fn transient_failure_before_first_event_polls_then_streams_again() {
    // GetThread lags behind the stream's `completed` for a while: it has the last word.
    let fake = Fake::new(hello())
        .opens(vec![Open::Fail(fail(Code::Unavailable, "starting up"))])
        .gets(
            std::iter::repeat_n(Ok(thread(ThreadStatus::Running, "1")), 30)
                .chain([Ok(thread(ThreadStatus::Completed, "2"))])
                .collect(),
        );
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    // Polled first, then the stream came back and told the whole story.
    assert_eq!(progress_statuses(&recorder), vec![ThreadStatus::Running]);
    assert_eq!(recorder.events[1..], hello()[..]);
    assert!(fake.watch_calls.get() >= 2);
}

#[tokio::test(start_paused = true)]
async fn follow_timeout_is_exit_6_with_a_hint() {
    let fake = Fake::new(hello()).opens(vec![Open::Events {
        upto: 2,
        then: Then::Silent,
    }]);
    let options = FollowOptions {
        timeout: Some(Duration::from_secs(3)),
        ..options()
    };
    let (result, _) = follow_fake(&fake, &options).await;
    let report = report(&result.unwrap_err()).unwrap();
    assert_eq!(report.status, ExitStatus::Unreachable);
    assert!(report.hint.unwrap().contains("thread watch thr_1"));
}

/// A thread that failed, was resumed, and runs on: every reopened stream replays the old `failed`.
fn failed_then_resumed() -> Vec<ThreadEvent> {
    use crate::model::event::ThreadFailed;
    let mut timeline = hello()[..3].to_vec();
    timeline.push(event(
        8,
        EventKind::Failed(ThreadFailed {
            error: "boom".into(),
            failed_step_path: "2".into(),
            failed_step_name: "step2".into(),
        }),
    ));
    // Resumed: step 2 runs again (a long one).
    timeline.push(event(
        20,
        EventKind::StepStarted(StepStarted {
            step_path: "2".into(),
            name: "step2".into(),
            primitive: "execute".into(),
            tool: "t".into(),
        }),
    ));
    timeline
}

#[tokio::test(start_paused = true)]
async fn a_replayed_failed_event_never_ends_a_resumed_thread() {
    let all = failed_then_resumed().len();
    let fake = Fake::new(failed_then_resumed())
        .opens(vec![
            Open::Events {
                upto: all,
                then: Then::End,
            },
            // The reopened stream replays everything, then stays quiet while step 2 runs.
            Open::Events {
                upto: all,
                then: Then::Silent,
            },
        ])
        .gets(
            std::iter::repeat_n(Ok(thread(ThreadStatus::Running, "2")), 10)
                .chain([Ok(thread(ThreadStatus::Completed, "2"))])
                .collect(),
        );
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.end, End::Terminal);
    assert_eq!(outcome.thread.status, ThreadStatus::Completed);
    assert_eq!(outcome.exit_status(), ExitStatus::Success);
    // Each event once, the old `failed` included; then GetThread's word on the end.
    assert_eq!(recorder.events[..all], failed_then_resumed()[..]);
    assert_eq!(progress_statuses(&recorder), vec![ThreadStatus::Completed]);
    assert_eq!(fake.watch_calls.get(), 2);
}

#[tokio::test(start_paused = true)]
async fn the_streams_end_stands_when_get_thread_keeps_failing() {
    let fake = Fake::new(hello()).gets(vec![Err(fail(Code::Unavailable, "overloaded"))]);
    let options = FollowOptions {
        retry_budget: Duration::from_secs(60),
        ..options()
    };
    let (result, recorder) = follow_fake(&fake, &options).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.end, End::Terminal);
    assert_eq!(outcome.thread.status, ThreadStatus::Completed);
    assert_eq!(recorder.events, hello(), "the end is not reported twice");
}

// ---- Identity from meaning (issue 16) ------------------------------------------------------

/// The same events, stamped `delta` ms later (a replay rebuilt from the thread's state), a
/// yield's own timestamp too.
fn restamped(events: &[ThreadEvent], delta: i64) -> Vec<ThreadEvent> {
    events
        .iter()
        .cloned()
        .map(|mut e| {
            e.timestamp_ms += delta;
            if let EventKind::Yielded(y) = &mut e.kind {
                y.timestamp_ms += delta;
            }
            e
        })
        .collect()
}

fn step_started(ts: i64, path: &str) -> ThreadEvent {
    event(
        ts,
        EventKind::StepStarted(StepStarted {
            step_path: path.into(),
            name: format!("step{path}"),
            primitive: "execute".into(),
            tool: "t".into(),
        }),
    )
}

fn step_completed(ts: i64, path: &str) -> ThreadEvent {
    event(
        ts,
        EventKind::StepCompleted(StepCompleted {
            step_path: path.into(),
            name: format!("step{path}"),
            duration_ms: 5,
        }),
    )
}

fn step_failed(ts: i64, path: &str) -> ThreadEvent {
    use crate::model::event::StepFailed;
    event(
        ts,
        EventKind::StepFailed(StepFailed {
            step_path: path.into(),
            name: format!("step{path}"),
            error: "boom".into(),
        }),
    )
}

fn thread_failed(ts: i64, path: &str) -> ThreadEvent {
    use crate::model::event::ThreadFailed;
    event(
        ts,
        EventKind::Failed(ThreadFailed {
            error: "boom".into(),
            failed_step_path: path.into(),
            failed_step_name: format!("step{path}"),
        }),
    )
}

fn completed(ts: i64) -> ThreadEvent {
    event(
        ts,
        EventKind::Completed(ThreadCompleted {
            duration_ms: 11,
            steps_executed: 2,
        }),
    )
}

fn yielded(ts: i64, sequence: i64) -> ThreadEvent {
    event(
        ts,
        EventKind::Yielded(crate::model::YieldedValue {
            step_path: "1".into(),
            name: "step1".into(),
            value_data: bytes::Bytes::from_static(b"{}"),
            sequence,
            timestamp_ms: ts,
        }),
    )
}

/// `(kind, step path)` of each event reported, for comparing by meaning.
fn meanings(events: &[ThreadEvent]) -> Vec<(&'static str, String)> {
    events
        .iter()
        .map(|e| (e.kind.name(), e.kind.step_path().to_string()))
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_replay_stamped_afresh_after_a_drop_is_dropped_by_meaning() {
    let mut timeline = hello();
    timeline.insert(3, yielded(5, 1));
    let fake = Fake::new(timeline.clone())
        .opens(vec![
            Open::Events {
                upto: 4,
                then: Then::Break(fail(Code::Unavailable, "connection reset")),
            },
            // Everything again, every timestamp new.
            Open::These(restamped(&timeline, 1000), Then::End),
        ])
        .gets(vec![
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Completed, "2")),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    assert_eq!(meanings(&recorder.events), meanings(&timeline));
    // The first four as they came, the rest from the replay.
    assert_eq!(recorder.events[..4], timeline[..4]);
    assert_eq!(recorder.events[4..], restamped(&timeline, 1000)[4..]);
}

/// A thread whose step 2 failed, was resumed, ran again and completed.
fn failed_resumed_completed() -> Vec<ThreadEvent> {
    let mut timeline = hello()[..3].to_vec();
    timeline.extend([
        step_started(7, "2"),
        step_failed(9, "2"),
        thread_failed(9, "2"),
        step_started(20, "2"),
        step_completed(25, "2"),
        completed(25),
    ]);
    timeline
}

#[tokio::test(start_paused = true)]
async fn a_step_run_again_after_its_failure_is_news_and_its_replay_is_not() {
    let timeline = failed_resumed_completed();
    let fake = Fake::new(timeline.clone())
        .opens(vec![
            // Up to the second start of step 2, then the connection drops.
            Open::Events {
                upto: 7,
                then: Then::Break(fail(Code::Unavailable, "reset")),
            },
            // A replay of it all, stamped afresh, the old `failed` included.
            Open::These(restamped(&timeline, 500), Then::End),
        ])
        .gets(vec![
            // The `failed` is checked (the thread was resumed), then the drop.
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Completed, "2")),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    assert_eq!(meanings(&recorder.events), meanings(&timeline));
    assert_eq!(fake.watch_calls.get(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_second_failure_is_news_when_the_replay_leaves_the_first_out() {
    // A server that replays from the thread's state sends only the latest `failed`.
    let mut timeline = failed_resumed_completed();
    timeline.truncate(7);
    timeline.extend([step_failed(30, "2"), thread_failed(30, "2")]);
    let mut replay = timeline.clone();
    replay.remove(5); // the superseded `failed`
    let fake = Fake::new(timeline.clone())
        .opens(vec![
            Open::Events {
                upto: 7,
                then: Then::Break(fail(Code::Unavailable, "reset")),
            },
            Open::These(restamped(&replay, 500), Then::End),
        ])
        .gets(vec![
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Failed, "2")),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::ThreadFailed);
    assert_eq!(meanings(&recorder.events), meanings(&timeline));
}

#[tokio::test(start_paused = true)]
async fn a_completed_step_run_again_after_a_resume_is_news() {
    // Live-only streams (no replay): step 1 runs, the thread pauses, is resumed, and step 1
    // runs again (a server that re-runs a step on resume).
    let first = vec![step_started(2, "1"), step_completed(7, "1")];
    let again = vec![
        step_started(20, "1"),
        step_completed(25, "1"),
        completed(25),
    ];
    let fake = Fake::new(hello())
        .opens(vec![
            Open::These(first.clone(), Then::End),
            // An empty stream: GetThread, asked after it, sees the resume.
            Open::These(Vec::new(), Then::End),
            Open::These(again.clone(), Then::End),
        ])
        .gets(vec![
            Ok(thread(ThreadStatus::Paused, "1")),
            Ok(thread(ThreadStatus::Running, "1")),
            Ok(thread(ThreadStatus::Completed, "1")),
        ]);
    let options = FollowOptions {
        wait_paused: true,
        ..options()
    };
    let (result, recorder) = follow_fake(&fake, &options).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    let mut expected = first;
    expected.extend(again);
    assert_eq!(recorder.events, expected);
}

#[tokio::test(start_paused = true)]
async fn a_stream_that_starts_mid_thread_is_judged_by_the_steps_state() {
    // No `started`: the server streams from where the thread is. The reconnect repeats the
    // current step's start, stamped afresh.
    let fake = Fake::new(hello())
        .opens(vec![
            Open::These(
                vec![step_started(7, "2")],
                Then::Break(fail(Code::Unavailable, "reset")),
            ),
            Open::These(
                vec![
                    step_started(900, "2"),
                    step_completed(901, "2"),
                    completed(901),
                ],
                Then::End,
            ),
        ])
        .gets(vec![
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Completed, "2")),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    assert_eq!(
        recorder.events,
        vec![
            step_started(7, "2"),
            step_completed(901, "2"),
            completed(901)
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn out_of_order_step_events_are_each_reported_once() {
    // Step 1's end before its start, step 2's start before step 1's end; the replay keeps the
    // disorder and stamps it afresh.
    let timeline = vec![
        hello()[0].clone(),
        step_completed(7, "1"),
        step_started(7, "2"),
        step_started(2, "1"),
        step_completed(12, "2"),
        completed(12),
    ];
    let fake = Fake::new(timeline.clone())
        .opens(vec![
            Open::Events {
                upto: 4,
                then: Then::End,
            },
            Open::These(restamped(&timeline, 100), Then::End),
        ])
        .gets(vec![
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Completed, "2")),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    assert_eq!(meanings(&recorder.events), meanings(&timeline));

    // The same disorder in a stream that starts mid-thread.
    let mid = timeline[1..].to_vec();
    let fake = Fake::new(mid.clone())
        .opens(vec![
            Open::Events {
                upto: 3,
                then: Then::End,
            },
            Open::These(restamped(&mid[1..], 100), Then::End),
        ])
        .gets(vec![
            Ok(thread(ThreadStatus::Running, "2")),
            Ok(thread(ThreadStatus::Completed, "2")),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    assert_eq!(meanings(&recorder.events), meanings(&mid));
}

#[tokio::test(start_paused = true)]
async fn duplicate_events_in_one_stream_are_reported_once() {
    let mut timeline = hello();
    let twice = |i: usize| timeline[i].clone();
    let doubled = vec![
        twice(0),
        twice(0),
        twice(1),
        twice(1),
        twice(2),
        twice(2),
        yielded(3, 1),
        yielded(3, 1),
        twice(3),
        twice(4),
        twice(5),
        twice(5),
    ];
    timeline.insert(3, yielded(3, 1));
    let fake = Fake::new(doubled).gets(vec![Ok(thread(ThreadStatus::Completed, "2"))]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    assert_eq!(meanings(&recorder.events), meanings(&timeline));
}

#[tokio::test(start_paused = true)]
async fn a_trusted_clean_end_after_the_terminal_event_needs_no_get_thread() {
    let fake = Fake::new(hello()).gets(vec![Ok(thread(ThreadStatus::Running, "2"))]);
    let trusting = FollowOptions {
        trust_clean_end: true,
        ..options()
    };
    let (result, recorder) = follow_fake(&fake, &trusting).await;
    let outcome = result.unwrap();
    assert_eq!(recorder.events, hello());
    assert_eq!(
        fake.get_calls.get(),
        0,
        "the clean end is the server's word"
    );
    assert_eq!(outcome.end, End::Terminal);
    assert_eq!(outcome.thread.status, ThreadStatus::Completed);
    // What the events told: the script, the step count, start and end.
    assert_eq!(outcome.thread.script_name, "demo/hello");
    assert_eq!(outcome.thread.total_steps, 2);
    assert_eq!(outcome.thread.duration_ms(0), Some(11));

    // Not trusted (the default): GetThread confirms, and its answer stands.
    let fake = Fake::new(hello()).gets(vec![Ok(thread(ThreadStatus::Completed, "2"))]);
    let (result, _) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().thread.status, ThreadStatus::Completed);
    assert_eq!(fake.get_calls.get(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_stream_left_open_after_its_terminal_event_is_settled_by_get_thread() {
    let all = hello().len();
    let fake = Fake::new(hello())
        .opens(vec![Open::Events {
            upto: all,
            then: Then::Silent,
        }])
        .gets(vec![Ok(thread(ThreadStatus::Completed, "2"))]);
    let trusting = FollowOptions {
        trust_clean_end: true,
        ..options()
    };
    let (result, _) = follow_fake(&fake, &trusting).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.thread.status, ThreadStatus::Completed);
    assert_eq!(fake.get_calls.get(), 1);
}
