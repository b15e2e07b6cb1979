//! ResumeThread and CancelThread: a failed step retried with and without an override, a paused
//! thread cancelled.

use crate::support::*;
use dodil::proto::{self, ThreadStatus};
use tonic::Code;

#[tokio::test]
async fn fail_fails_and_resume_retries_the_step() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let id = create(&mut c, "demo/fail", "{}").await;
    let events = watch_all(&mut c, &id).await;
    assert_eq!(
        labels(&events),
        [
            "started",
            "step_started 1",
            "step_completed 1",
            "step_started 2",
            "step_failed 2",
            "failed 2"
        ]
    );
    let Some(proto::thread_event::Event::Failed(f)) = &events[5].event else {
        panic!()
    };
    assert_eq!(f.failed_step_name, "call_api");
    assert!(f.error.contains("503"), "{}", f.error);
    let t = c
        .get_thread(proto::GetThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(t.status, ThreadStatus::Failed as i32);
    assert!(t.error.contains("503"));
    assert_eq!(t.current_step_path, "2");
    let r = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            step_path: Some("2".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.status, ThreadStatus::Failed as i32);
    assert!(r.output_data.is_empty());
    let d = &r.step_details[0];
    assert_eq!(d.status, proto::StepStatus::Failed as i32);
    assert!(d.error.contains("503"));
    let diag = d.diagnostics.as_ref().unwrap();
    assert!(!diag.error_detail.is_empty() && !diag.worker_stderr.is_empty());

    // Without an override the retry fails again.
    let resume = |input: &str| proto::ResumeThreadRequest {
        thread_id: id.clone(),
        step_input_override_json: input.into(),
    };
    let r = c.resume_thread(resume("")).await.unwrap().into_inner();
    assert_eq!(r.status, ThreadStatus::Running as i32);
    let events = watch_all(&mut c, &id).await;
    let tail: Vec<_> = labels(&events).into_iter().rev().take(3).collect();
    assert_eq!(tail, ["failed 2", "step_failed 2", "step_started 2"]);
    assert_eq!(
        labels(&events)
            .iter()
            .filter(|l| l.starts_with("failed"))
            .count(),
        1,
        "a superseded failure is not replayed"
    );
    // With an override it succeeds, with the override as the step's input.
    let e = c.resume_thread(resume("{oops")).await.unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    c.resume_thread(resume(r#"{"endpoint":"https://backup.example.invalid"}"#))
        .await
        .unwrap();
    let t = finish(&mut c, &id).await;
    assert_eq!(t.status, ThreadStatus::Completed as i32);
    assert!(t.error.is_empty());
    let r = c
        .get_thread_result(proto::GetThreadResultRequest {
            thread_id: id.clone(),
            step_path: Some("2".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let input: serde_json::Value = serde_json::from_slice(&r.step_details[0].input_data).unwrap();
    assert_eq!(input["endpoint"], "https://backup.example.invalid");
    let out: serde_json::Value = serde_json::from_slice(&r.output_data).unwrap();
    assert_eq!(out["status"], "recovered");

    let e = c.resume_thread(resume("")).await.unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(
        e.message().contains("THREAD_STATUS_COMPLETED"),
        "{}",
        e.message()
    );
}

#[tokio::test]
async fn cancel_when_implemented() {
    let settings = dodil::devserver::ServerConfig {
        speed: SPEED,
        implement_cancel: true,
        ..Default::default()
    };
    let (_server, mut c) = start(settings).await;
    let id = create(&mut c, "demo/approval", "{}").await;
    let mut watch = c
        .watch_thread(proto::WatchThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    within("pause", async {
        while let Some(e) = watch.message().await.unwrap() {
            if step_started_path(&e) == Some("2") {
                break;
            }
        }
    })
    .await;
    let r = c
        .cancel_thread(proto::CancelThreadRequest {
            thread_id: id.clone(),
            reason: "not today".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.status, ThreadStatus::Cancelled as i32);
    let e = within("cancelled event", watch.message())
        .await
        .unwrap()
        .unwrap();
    let Some(proto::thread_event::Event::Cancelled(x)) = &e.event else {
        panic!("{e:?}")
    };
    assert_eq!(
        (x.reason.as_str(), x.cancelled_step_path.as_str()),
        ("not today", "2")
    );
    assert!(within("end", watch.message()).await.unwrap().is_none());
    let t = c
        .get_thread(proto::GetThreadRequest {
            thread_id: id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(t.status, ThreadStatus::Cancelled as i32);
    let e = c
        .cancel_thread(proto::CancelThreadRequest {
            thread_id: id.clone(),
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    let e = c
        .resume_thread(proto::ResumeThreadRequest {
            thread_id: id,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::FailedPrecondition);
    assert!(e.message().contains("THREAD_STATUS_CANCELLED"));
}
