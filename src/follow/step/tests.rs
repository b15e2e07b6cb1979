//! The step engine against a scripted server, on tokio's paused clock (backoffs cost no wall time).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

use super::*;
use crate::client::Code;
use crate::error::{report, ExitStatus};
use crate::follow::stop::Followed;
use crate::model::event::StepFailed;
use crate::model::step_event::{DecisionMade, StepDone};

/// A failed call as the client reports it.
fn fail(code: Code, message: &str) -> CallError {
    CallError::new("Test", code, message)
}

/// What one WatchStep call does.
#[derive(Clone)]
enum Open {
    Fail(CallError),
    /// Replays the step's events from the start up to `upto`, then `then`.
    Events {
        upto: usize,
        then: Then,
    },
    /// Sends exactly these events, then `then`.
    These(Vec<StepEvent>, Then),
}

#[derive(Clone)]
enum Then {
    End,
    Break(CallError),
    Silent,
}

struct Fake {
    timeline: Vec<StepEvent>,
    opens: RefCell<VecDeque<Open>>,
    /// Used once `opens` is empty.
    default_open: Open,
    /// GetThreadResult answers in order; the last one repeats.
    statuses: RefCell<VecDeque<Result<StepStatus, CallError>>>,
    watch_calls: Cell<usize>,
    status_calls: Cell<usize>,
}

impl Fake {
    fn new(timeline: Vec<StepEvent>) -> Fake {
        let all = timeline.len();
        Fake {
            timeline,
            opens: RefCell::new(VecDeque::new()),
            default_open: Open::Events {
                upto: all,
                then: Then::End,
            },
            statuses: RefCell::new(VecDeque::new()),
            watch_calls: Cell::new(0),
            status_calls: Cell::new(0),
        }
    }

    fn opens(self, opens: Vec<Open>) -> Fake {
        *self.opens.borrow_mut() = opens.into();
        self
    }

    fn statuses(self, statuses: Vec<Result<StepStatus, CallError>>) -> Fake {
        *self.statuses.borrow_mut() = statuses.into();
        self
    }
}

impl StepSource for Fake {
    async fn watch(
        &self,
        _thread_id: &str,
        _step_path: &str,
    ) -> Result<StepEventStream, CallError> {
        self.watch_calls.set(self.watch_calls.get() + 1);
        let open = self
            .opens
            .borrow_mut()
            .pop_front()
            .unwrap_or_else(|| self.default_open.clone());
        match open {
            Open::Fail(error) => Err(error),
            Open::Events { .. } | Open::These(..) => {
                let (events, then) = match open {
                    Open::Events { upto, then } => (self.timeline[..upto].to_vec(), then),
                    Open::These(events, then) => (events, then),
                    Open::Fail(_) => unreachable!(),
                };
                let events: Vec<Result<StepEvent, CallError>> =
                    events.into_iter().map(Ok).collect();
                let head = tokio_stream::iter(events);
                Ok(match then {
                    Then::End => Box::pin(head),
                    Then::Break(error) => Box::pin(head.chain(tokio_stream::once(Err(error)))),
                    Then::Silent => Box::pin(head.chain(tokio_stream::pending())),
                })
            }
        }
    }

    async fn status(&self, _thread_id: &str, _step_path: &str) -> Result<StepStatus, CallError> {
        self.status_calls.set(self.status_calls.get() + 1);
        let mut statuses = self.statuses.borrow_mut();
        if statuses.len() > 1 {
            statuses.pop_front().unwrap()
        } else {
            statuses.front().cloned().unwrap_or(Ok(StepStatus::Running))
        }
    }
}

#[derive(Default)]
struct Recorder {
    events: Vec<StepEvent>,
    notices: Vec<String>,
}

impl StepObserver for Recorder {
    fn event(&mut self, event: &StepEvent) -> anyhow::Result<()> {
        self.events.push(event.clone());
        Ok(())
    }
    fn notice(&mut self, message: &str) {
        self.notices.push(message.to_string());
    }
}

fn event(ts: i64, kind: StepEventKind) -> StepEvent {
    StepEvent {
        thread_id: "thr_1".into(),
        step_path: "2".into(),
        timestamp_ms: ts,
        kind,
    }
}

fn snapshot(ts: i64, status: StepStatus) -> StepEvent {
    event(
        ts,
        StepEventKind::Snapshot(StepSnapshot {
            status,
            name: "route".into(),
            primitive: "decide".into(),
            started_at_ms: 5,
            sample_input: b"{}".to_vec(),
            sample_output: Vec::new(),
        }),
    )
}

/// A decide step: its snapshot, its decision, its end.
fn decide() -> Vec<StepEvent> {
    vec![
        snapshot(10, StepStatus::Running),
        event(
            20,
            StepEventKind::Decision(DecisionMade {
                strategy: "llm".into(),
                chosen_branch: "2.1".into(),
                reasoning: "because".into(),
            }),
        ),
        event(
            30,
            StepEventKind::Done(StepDone {
                duration_ms: 25,
                output_bytes: 12,
            }),
        ),
    ]
}

/// An `ask` step waiting for its answer: the thread is paused, the stream says no more.
fn waiting() -> Vec<StepEvent> {
    vec![snapshot(10, StepStatus::Paused)]
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
) -> (anyhow::Result<StepOutcome>, Recorder) {
    let mut recorder = Recorder::default();
    let result = follow(fake, "thr_1", "2", options, &mut recorder)
        .await
        .map_err(|stop| {
            stop.into_error(Followed::Step {
                thread_id: "thr_1",
                step_path: "2",
            })
        });
    (result, recorder)
}

/// The statuses of the snapshots reported, thin (polled) ones included.
fn snapshot_statuses(recorder: &Recorder) -> Vec<StepStatus> {
    recorder
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            StepEventKind::Snapshot(s) => Some(s.status),
            _ => None,
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_stream_to_its_done_event_ends_completed() {
    let fake = Fake::new(decide());
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.end, End::Terminal);
    assert_eq!(outcome.status, StepStatus::Completed);
    assert_eq!(outcome.exit_status(), ExitStatus::Success);
    assert_eq!(recorder.events, decide());
    assert!(recorder.notices.is_empty(), "{:?}", recorder.notices);
    assert_eq!(fake.watch_calls.get(), 1);
    assert_eq!(fake.status_calls.get(), 0, "the done event needs no look");
}

#[tokio::test(start_paused = true)]
async fn dropped_streams_are_reopened_and_their_replays_dropped() {
    let fake = Fake::new(decide())
        .opens(vec![
            Open::Events {
                upto: 2,
                then: Then::End,
            },
            Open::Events {
                upto: 2,
                then: Then::Break(fail(Code::Unavailable, "connection reset")),
            },
        ])
        .statuses(vec![Ok(StepStatus::Running)]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.exit_status(), ExitStatus::Success);
    // Each event once, though the snapshot and the decision came three times.
    assert_eq!(recorder.events, decide());
    assert_eq!(
        recorder.notices,
        ["the step stream broke (connection reset (UNAVAILABLE)); reconnecting"]
    );
    assert_eq!(fake.watch_calls.get(), 3);
    assert_eq!(fake.status_calls.get(), 2, "each drop is confirmed");
}

#[tokio::test(start_paused = true)]
async fn a_stream_ended_without_the_step_s_end_is_confirmed_by_its_status() {
    let fake = Fake::new(decide())
        .opens(vec![Open::Events {
            upto: 2,
            then: Then::End,
        }])
        .statuses(vec![Ok(StepStatus::Completed)]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.status, StepStatus::Completed);
    assert_eq!(recorder.events[..2], decide()[..2]);
    assert_eq!(
        snapshot_statuses(&recorder),
        [StepStatus::Running, StepStatus::Completed]
    );
    assert_eq!(fake.watch_calls.get(), 1);
}

#[tokio::test(start_paused = true)]
async fn unimplemented_stream_falls_back_to_polling() {
    use StepStatus::*;
    let fake = Fake::new(decide())
        .opens(vec![Open::Fail(fail(Code::Unimplemented, "no"))])
        .statuses(vec![
            Ok(Pending),
            Ok(Running),
            Ok(Running),
            Err(fail(Code::Unavailable, "blip")),
            Ok(Running),
            Ok(Failed),
        ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.status, Failed);
    assert_eq!(outcome.exit_status(), ExitStatus::ThreadFailed);
    assert_eq!(snapshot_statuses(&recorder), [Pending, Running, Failed]);
    assert_eq!(
        recorder.notices,
        [
            "this server cannot stream step events; polling the step's status",
            "the server is failing (blip (UNAVAILABLE)); retrying for up to 5.0s",
        ]
    );
    assert_eq!(fake.watch_calls.get(), 1, "UNIMPLEMENTED is not retried");
}

#[tokio::test(start_paused = true)]
async fn transient_failures_are_retried_within_the_budget() {
    let down = fail(Code::Unavailable, "starting up");
    let fake = Fake::new(decide()).opens(vec![
        Open::Fail(down.clone()),
        Open::Fail(down.clone()),
        Open::Fail(down),
    ]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    assert_eq!(recorder.events, decide());
    assert_eq!(
        recorder.notices,
        ["the server is failing (starting up (UNAVAILABLE)); retrying for up to 5.0s"],
        "one notice for the run of failures"
    );
    assert_eq!(fake.watch_calls.get(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_server_gone_for_good_is_exit_6_within_the_budget() {
    let down = fail(Code::Unavailable, "tcp connect error: Connection refused");
    let mut fake = Fake::new(decide()).statuses(vec![Err(down.clone())]);
    fake.default_open = Open::Fail(down);
    let started = Instant::now();
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let took = started.elapsed();
    let report = report(&result.unwrap_err()).unwrap();
    assert_eq!(report.status, ExitStatus::Unreachable);
    assert!(
        report
            .message
            .starts_with("gave up following step 2 of thread thr_1 after 5.0s of failures: "),
        "{}",
        report.message
    );
    assert_eq!(
        report.hint.as_deref(),
        Some(
            "the thread goes on running on the server; \
             follow it again with: dodil scriptum thread watch thr_1 --step 2"
        )
    );
    assert_eq!(recorder.notices.len(), 1, "{:?}", recorder.notices);
    assert!(
        took >= Duration::from_secs(5) && took < Duration::from_secs(6),
        "{took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unknown_step_is_refused_at_once_with_the_steps_hint() {
    // From WatchStep …
    let fake = Fake::new(decide()).opens(vec![Open::Fail(fail(Code::NotFound, "no such step"))]);
    let (result, _) = follow_fake(&fake, &options()).await;
    let report_ = report(&result.unwrap_err()).unwrap();
    assert_eq!(report_.status, ExitStatus::ServerRefused);
    assert!(
        report_.message.starts_with("no step 2 in thread thr_1"),
        "{}",
        report_.message
    );
    assert_eq!(fake.watch_calls.get(), 1);

    // … from the look that confirms a dropped stream …
    let fake = Fake::new(decide())
        .opens(vec![Open::Events {
            upto: 1,
            then: Then::End,
        }])
        .statuses(vec![Err(fail(Code::NotFound, "no step 2 in the result"))]);
    let (result, _) = follow_fake(&fake, &options()).await;
    let report_ = report(&result.unwrap_err()).unwrap();
    assert_eq!(report_.status, ExitStatus::ServerRefused);
    assert!(report_.message.starts_with("no step 2 in thread thr_1"));

    // … and any other refusal, mid-stream, ends at once too.
    let fake = Fake::new(decide()).opens(vec![Open::Events {
        upto: 1,
        then: Then::Break(fail(Code::Unauthenticated, "token expired")),
    }]);
    let (result, _) = follow_fake(&fake, &options()).await;
    assert_eq!(
        report(&result.unwrap_err()).unwrap().status,
        ExitStatus::ServerRefused
    );
    assert_eq!(fake.watch_calls.get(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_paused_step_ends_following_with_exit_4() {
    // The snapshot says so …
    let fake = Fake::new(waiting()).opens(vec![Open::Events {
        upto: 1,
        then: Then::Silent,
    }]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.end, End::Paused);
    assert_eq!(outcome.status, StepStatus::Paused);
    assert_eq!(outcome.exit_status(), ExitStatus::ThreadPaused);
    assert_eq!(recorder.events, waiting());
    assert_eq!(fake.status_calls.get(), 0);

    // … or a look during the stream's silence finds it.
    let fake = Fake::new(decide())
        .opens(vec![Open::Events {
            upto: 1,
            then: Then::Silent,
        }])
        .statuses(vec![Ok(StepStatus::Paused)]);
    let started = Instant::now();
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().end, End::Paused);
    assert_eq!(
        snapshot_statuses(&recorder),
        [StepStatus::Running, StepStatus::Paused]
    );
    assert!(started.elapsed() <= Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn wait_paused_follows_the_step_through_its_pause() {
    use StepStatus::*;
    let fake = Fake::new(waiting())
        .opens(vec![Open::Events {
            upto: 1,
            then: Then::Silent,
        }])
        .statuses(vec![Ok(Paused), Ok(Paused), Ok(Running), Ok(Completed)]);
    let options = FollowOptions {
        wait_paused: true,
        ..options()
    };
    let (result, recorder) = follow_fake(&fake, &options).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.end, End::Terminal);
    assert_eq!(outcome.exit_status(), ExitStatus::Success);
    assert_eq!(snapshot_statuses(&recorder), [Paused, Running, Completed]);
}

#[tokio::test(start_paused = true)]
async fn follow_timeout_is_exit_6_with_the_step_s_hint() {
    let fake = Fake::new(decide()).opens(vec![Open::Events {
        upto: 1,
        then: Then::Silent,
    }]);
    let options = FollowOptions {
        timeout: Some(Duration::from_secs(3)),
        ..options()
    };
    let (result, _) = follow_fake(&fake, &options).await;
    let report = report(&result.unwrap_err()).unwrap();
    assert_eq!(report.status, ExitStatus::Unreachable);
    assert_eq!(
        report.message,
        "stopped following step 2 of thread thr_1 after 3.0s (--follow-timeout); it goes on running on the server"
    );
    assert_eq!(
        report.hint.as_deref(),
        Some("follow it again with: dodil scriptum thread watch thr_1 --step 2")
    );
}

#[tokio::test(start_paused = true)]
async fn a_replayed_failure_is_reported_once() {
    let mut timeline = decide()[..1].to_vec();
    timeline.push(event(
        30,
        StepEventKind::Failed(StepFailed {
            step_path: "2".into(),
            name: "route".into(),
            error: "upstream returned HTTP 503".into(),
        }),
    ));
    let fake = Fake::new(timeline.clone());
    let (result, recorder) = follow_fake(&fake, &options()).await;
    let outcome = result.unwrap();
    assert_eq!(outcome.status, StepStatus::Failed);
    assert_eq!(outcome.exit_status(), ExitStatus::ThreadFailed);
    assert_eq!(recorder.events, timeline);
}

// ---- Identity from meaning (issue 16) ------------------------------------------------------

#[tokio::test(start_paused = true)]
async fn a_replay_stamped_afresh_is_reported_once() {
    // The reopened stream sends the snapshot and the decision again, every timestamp new.
    let again: Vec<StepEvent> = decide()
        .into_iter()
        .map(|mut e| {
            e.timestamp_ms += 1000;
            e
        })
        .collect();
    let fake = Fake::new(decide())
        .opens(vec![
            Open::These(decide()[..2].to_vec(), Then::End),
            Open::These(again.clone(), Then::End),
        ])
        .statuses(vec![Ok(StepStatus::Running)]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().exit_status(), ExitStatus::Success);
    let mut expected = decide()[..2].to_vec();
    expected.push(again[2].clone());
    assert_eq!(recorder.events, expected);
    assert_eq!(fake.watch_calls.get(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_stream_without_its_snapshot_still_follows_the_step() {
    // A server that streams from where the step is: no snapshot, the decision, then the stream
    // ends; the reconnect repeats the decision (stamped afresh) and ends the step.
    let timeline = decide();
    let mut decision_again = timeline[1].clone();
    decision_again.timestamp_ms = 999;
    let fake = Fake::new(timeline.clone())
        .opens(vec![
            Open::These(vec![timeline[1].clone()], Then::End),
            Open::These(vec![decision_again, timeline[2].clone()], Then::End),
        ])
        .statuses(vec![Ok(StepStatus::Running)]);
    let (result, recorder) = follow_fake(&fake, &options()).await;
    assert_eq!(result.unwrap().status, StepStatus::Completed);
    let kinds: Vec<&str> = recorder.events.iter().map(|e| e.kind.name()).collect();
    // The look after the first stream ended found the step running: a thin snapshot.
    assert_eq!(kinds, ["decision", "snapshot", "done"]);
    assert_eq!(recorder.events[0], timeline[1]);
}
