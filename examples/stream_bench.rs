//! Measures StreamThreadResult throughput against a running dev server:
//! `cargo run --release --example stream_bench -- http://127.0.0.1:PORT [BYTES] [CHUNK]`.
//! Creates a demo/big thread of BYTES (default 1 GiB), waits for it, streams its output.

use std::time::Instant;

use dodil::proto::scriptum_service_client::ScriptumServiceClient;
use dodil::proto::{self, thread_output_chunk::Chunk};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:50051".into());
    let bytes: u64 = args.next().map_or(Ok(1 << 30), |s| s.parse())?;
    let chunk: Option<i32> = args.next().map(|s| s.parse()).transpose()?;
    let channel = tonic::transport::Endpoint::from_shared(url)?
        .initial_stream_window_size(Some(16 << 20))
        .initial_connection_window_size(Some(32 << 20))
        .connect()
        .await?;
    let mut c = ScriptumServiceClient::new(channel).max_decoding_message_size(32 << 20);
    let id = c
        .create_thread(proto::CreateThreadRequest {
            script_name: "demo/big".into(),
            input_json: format!(r#"{{"bytes":{bytes},"steps":1}}"#),
            ..Default::default()
        })
        .await?
        .into_inner()
        .thread_id;
    let mut w = c
        .watch_thread(proto::WatchThreadRequest {
            thread_id: id.clone(),
        })
        .await?
        .into_inner();
    while w.message().await?.is_some() {}
    let t0 = Instant::now();
    let mut s = c
        .stream_thread_result(proto::StreamThreadResultRequest {
            thread_id: id,
            max_chunk_bytes: chunk,
        })
        .await?
        .into_inner();
    let (mut got, mut chunks, mut sum) = (0u64, 0u32, 0u64);
    while let Some(m) = s.message().await? {
        if let Some(Chunk::Output(o)) = m.chunk {
            got += o.data.len() as u64;
            chunks += 1;
            sum = sum.wrapping_add(
                o.data
                    .iter()
                    .step_by(4096)
                    .map(|&b| u64::from(b))
                    .sum::<u64>(),
            );
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{got} bytes in {chunks} chunks, {secs:.2} s, {:.0} MiB/s (sampled sum {sum})",
        got as f64 / secs / (1 << 20) as f64
    );
    Ok(())
}
