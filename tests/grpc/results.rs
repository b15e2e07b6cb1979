//! GetThreadResult, StreamThreadResult and StreamStepResult: the unary cap, chunk sizes and
//! reassembly, step payloads streamed after their details.

use crate::support::*;
use dodil::proto::{self, ThreadStatus};
use tonic::Code;

#[tokio::test]
async fn truncation_boundary_at_the_cap() {
    let (_server, mut c) = start(fast(200.0)).await;
    let cap = dodil::devserver::RESULT_CAP as usize;
    for (n, truncated) in [(cap - 1, false), (cap, false), (cap + 1, true)] {
        let id = create(&mut c, "demo/big", &format!(r#"{{"bytes":{n},"steps":1}}"#)).await;
        finish(&mut c, &id).await;
        let r = result(&mut c, &id).await;
        assert_eq!(r.output_total_bytes as usize, n);
        assert_eq!(r.output_truncated, truncated, "{n}");
        assert_eq!(r.output_data.len(), n.min(cap));
        if !truncated {
            assert_eq!(&r.output_data[..], &expected_big(n)[..]);
            serde_json::from_slice::<serde_json::Value>(&r.output_data).unwrap();
        }
    }
}

#[tokio::test]
async fn chunk_sizes_are_clamped_and_streams_reassemble() {
    let (_server, mut c) = start(fast(200.0)).await;
    let n = 300_000usize;
    let id = create(&mut c, "demo/big", &format!(r#"{{"bytes":{n},"steps":2}}"#)).await;
    let done = finish(&mut c, &id).await;
    assert_eq!(done.status, ThreadStatus::Completed as i32);
    let expected = expected_big(n);
    for (asked, size) in [
        (Some(1000), 65_536),
        (Some(-5), 65_536),
        (Some(100_000), 100_000),
        (None, n),
    ] {
        let (meta, chunks) = stream_output(&mut c, &id, asked).await;
        assert_eq!(meta.status, ThreadStatus::Completed as i32);
        assert_eq!(meta.total_bytes as usize, n);
        assert_eq!(meta.total_chunks as usize, chunks.len());
        assert_eq!(chunks.len(), n.div_ceil(size), "{asked:?}");
        let mut all = Vec::new();
        for (i, ch) in chunks.iter().enumerate() {
            assert_eq!(ch.chunk_index as usize, i);
            assert_eq!(ch.total_bytes as usize, n);
            assert_eq!(ch.is_final, i + 1 == chunks.len());
            if i + 1 < chunks.len() {
                assert_eq!(ch.data.len(), size);
            }
            all.extend_from_slice(&ch.data);
        }
        assert!(all == expected, "reassembled bytes differ ({asked:?})");
    }

    // Above 16 MiB: clamped to 16 MiB; the whole output checksums to the generator's.
    let n = 40 << 20;
    let id = create(&mut c, "demo/big", &format!(r#"{{"bytes":{n},"steps":1}}"#)).await;
    finish(&mut c, &id).await;
    let (meta, chunks) = stream_output(&mut c, &id, Some(i32::MAX)).await;
    assert_eq!(meta.total_chunks, 3);
    let sizes: Vec<usize> = chunks.iter().map(|c| c.data.len()).collect();
    assert_eq!(sizes, [16 << 20, 16 << 20, 8 << 20]);
    let mut got = Fnv::default();
    for ch in &chunks {
        got.update(&ch.data);
    }
    let mut want = Fnv::default();
    want.update(&expected_big(n));
    assert_eq!(got, want);
}

#[tokio::test]
async fn unfinished_threads_stream_an_empty_output() {
    let (_server, mut c) = start(fast(SPEED)).await;
    let id = create(&mut c, "demo/approval", "{}").await;
    let (meta, chunks) = stream_output(&mut c, &id, None).await;
    assert_ne!(meta.status, ThreadStatus::Completed as i32);
    assert_eq!(meta.total_bytes, 0);
    assert_eq!(chunks.len(), 1);
    assert!(chunks[0].is_final && chunks[0].data.is_empty());
    let e = c
        .stream_thread_result(proto::StreamThreadResultRequest {
            thread_id: "thr_nope".into(),
            max_chunk_bytes: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
}

#[tokio::test]
async fn step_results_stream_details_then_large_data() {
    use proto::step_result_chunk::Chunk;
    let (_server, mut c) = start(fast(200.0)).await;
    let id = create(&mut c, "demo/etl", "{}").await;
    finish(&mut c, &id).await;
    let all = stream_steps(&mut c, &id, None).await;
    let Chunk::Meta(meta) = &all[0] else {
        panic!("meta first")
    };
    assert_eq!(meta.total_steps, 10);
    assert_eq!(meta.steps.len(), 10);
    let details: Vec<&proto::StepDetail> = all
        .iter()
        .filter_map(|c| match c {
            Chunk::Step(d) => Some(d),
            _ => None,
        })
        .collect();
    assert_eq!(details.len(), 10);
    let load = details.iter().find(|d| d.step_path == "3").unwrap();
    assert!(load.output_truncated);
    assert_eq!(load.output_total_bytes, 300_000);
    assert_eq!(load.output_data.len() as u64, dodil::devserver::STEP_CAP);
    assert_eq!(load.sample_output.len(), 4096);
    let data: Vec<&proto::StepDataChunk> = all
        .iter()
        .filter_map(|c| match c {
            Chunk::Data(d) => Some(d),
            _ => None,
        })
        .collect();
    assert!(!data.is_empty());
    assert!(data
        .iter()
        .all(|d| d.step_path == "3" && d.field == "output"));
    let bytes: Vec<u8> = data.iter().flat_map(|d| d.data.iter().copied()).collect();
    assert_eq!(bytes, expected_big(300_000));
    assert!(data.last().unwrap().is_final);
    // The data chunks follow their step's detail.
    let pos_detail = all
        .iter()
        .position(|c| matches!(c, Chunk::Step(d) if d.step_path == "3"))
        .unwrap();
    let pos_data = all
        .iter()
        .position(|c| matches!(c, Chunk::Data(_)))
        .unwrap();
    assert_eq!(pos_data, pos_detail + 1);

    let one = stream_steps(&mut c, &id, Some("1.0.1")).await;
    assert_eq!(one.len(), 2);
    let Chunk::Meta(m) = &one[0] else { panic!() };
    assert_eq!((m.total_steps, m.steps[0].step_path.as_str()), (1, "1.0.1"));
    let e = c
        .stream_step_result(proto::StreamStepResultRequest {
            thread_id: id.clone(),
            step_path: Some("1.0.9".into()),
            max_chunk_bytes: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::NotFound);
}
