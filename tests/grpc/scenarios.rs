//! User scenario files (`--scripts DIR`), a malformed one named, and the README's example.

use crate::support::*;
use dodil::proto;

#[tokio::test]
async fn scenario_files_run_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pipeline.yaml"),
        r#"
name: ci/pipeline
version: 3
steps:
  - path: "1"
    name: build
    tool: cargo
    duration_ms: 200
    output: {artifact: "app.tar"}
    yields: [{percent: 50}, {percent: 100}]
  - path: "1.1"
    name: unit
    input_bytes: 70000
  - path: "2"
    name: deploy
    primitive: execute
    fail: "permission denied"
output: {deployed: true}
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a scenario").unwrap();
    let settings = dodil::devserver::ServerConfig {
        speed: SPEED,
        scripts_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let (_server, mut c) = start(settings.clone()).await;
    let created = c
        .create_thread(proto::CreateThreadRequest {
            script_name: "ci/pipeline".into(),
            version: 3,
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    let id = created.thread_id;
    let events = watch_all(&mut c, &id).await;
    assert_eq!(
        labels(&events),
        [
            "started",
            "step_started 1",
            "yielded 1",
            "yielded 1",
            "step_started 1.1",
            "step_completed 1.1",
            "step_completed 1",
            "step_started 2",
            "step_failed 2",
            "failed 2"
        ]
    );
    // A large step input is streamed in chunks (field "input").
    let chunks = stream_steps(&mut c, &id, Some("1.1")).await;
    let input: Vec<u8> = chunks
        .iter()
        .filter_map(|c| match c {
            proto::step_result_chunk::Chunk::Data(d) if d.field == "input" => Some(d.data.to_vec()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(input, expected_big(70_000));

    std::fs::write(
        dir.path().join("zz-broken.yaml"),
        "name: broken\nsteps:\n  - path: '1'\n    name: a\n    durration_ms: 5\n",
    )
    .unwrap();
    let err = dodil::devserver::DevServer::start("127.0.0.1:0".parse().unwrap(), settings)
        .await
        .err()
        .expect("a malformed scenario stops the server");
    let msg = format!("{err:#}");
    assert!(
        msg.contains("zz-broken.yaml") && msg.contains("durration_ms"),
        "{msg}"
    );
}

#[test]
fn readme_scenario_example_is_valid() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("```yaml\nname: ci/deploy")
        .expect("the README's scenario example");
    let body = &readme[start + "```yaml\n".len()..];
    let yaml = &body[..body.find("```").unwrap()];
    let def = dodil::devserver::parse_scenario(yaml).unwrap();
    assert_eq!(
        (def.name.as_str(), def.version, def.steps.len()),
        ("ci/deploy", 3, 7)
    );
}
