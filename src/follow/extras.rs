//! What a live view asks for beside the thread's own events, which do not carry it: a decide
//! step's choice (WatchStep's `decision`), and the steps the thread skipped (only the step
//! summaries say so). Best effort: an extra that cannot be had is left out, never an error, and
//! nothing here bears on how following ends.
//!
//! The observer asks ([`Ask`]) as events come in; [`serve`] answers each on a task of its own, to
//! an [`ExtrasObserver`], for as long as the follow runs (dropping it stops them all).
//! [`summaries`] asks once, for a closing line's counts.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinSet;
use tokio_stream::StreamExt;

use crate::client::Client;
use crate::model::step_event::{DecisionMade, StepEventKind};
use crate::model::{StepMessage, StepSummary};

/// How long the step summaries may take before a closing line goes without them.
const SUMMARIES_WAIT: Duration = Duration::from_secs(3);

/// What an observer wants to know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    /// A decide step started: which branch it chooses.
    Decision { step_path: String },
    /// A decide step finished: which of the steps under it were skipped.
    Skipped { under: String },
}

/// Told every answer, from tasks of their own: `None` when there is none to be had (every ask
/// is answered, so an observer waiting for one knows when to stop).
pub trait ExtrasObserver: Send + Sync + 'static {
    fn decision(&self, step_path: &str, decision: Option<&DecisionMade>);
    /// The thread's step summaries, asked for because of `ask`.
    fn summaries(&self, ask: &Ask, steps: Option<&[StepSummary]>);
}

/// Answers every ask until dropped.
pub async fn serve(
    client: Client,
    thread_id: String,
    mut asks: UnboundedReceiver<Ask>,
    observer: Arc<dyn ExtrasObserver>,
) {
    let mut tasks = JoinSet::new();
    loop {
        tokio::select! {
            ask = asks.recv() => {
                let Some(ask) = ask else { break };
                let (client, thread_id, observer) =
                    (client.clone(), thread_id.clone(), observer.clone());
                tasks.spawn(async move { answer(&client, &thread_id, ask, &*observer).await });
            }
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
        }
    }
    // No more asks (the observer is gone): what is under way may still finish.
    while tasks.join_next().await.is_some() {}
}

async fn answer(client: &Client, thread_id: &str, ask: Ask, observer: &dyn ExtrasObserver) {
    match &ask {
        Ask::Decision { step_path } => {
            let decision = decision(client, thread_id, step_path).await;
            observer.decision(step_path, decision.as_ref());
        }
        Ask::Skipped { .. } => {
            let steps = summaries(client, thread_id).await;
            observer.summaries(&ask, steps.as_deref());
        }
    }
}

/// The decision of a decide step, from WatchStep: `None` once the step ended without one, or
/// the stream failed.
async fn decision(client: &Client, thread_id: &str, step_path: &str) -> Option<DecisionMade> {
    let mut events = client.watch_step(thread_id, step_path).await.ok()?;
    while let Some(Ok(event)) = events.next().await {
        match event.kind {
            StepEventKind::Decision(decision) => return Some(decision),
            StepEventKind::Done(_) | StepEventKind::Failed(_) => return None,
            StepEventKind::Snapshot(_) | StepEventKind::Unknown => {}
        }
    }
    None
}

/// Every step's summary, from the first message of StreamStepResult (no payloads), within
/// [`SUMMARIES_WAIT`].
pub async fn summaries(client: &Client, thread_id: &str) -> Option<Vec<StepSummary>> {
    let first = async {
        let mut stream = client
            .stream_step_result(thread_id, None, None)
            .await
            .ok()?;
        match stream.next().await.ok()?? {
            StepMessage::Meta { steps } => Some(steps),
            _ => None,
        }
    };
    tokio::time::timeout(SUMMARIES_WAIT, first).await.ok()?
}
