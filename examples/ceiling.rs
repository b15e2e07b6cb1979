//! The ceiling for the benchmark: the least a tonic client can do to read a thread's output —
//! StreamThreadResult straight into a file, no validation, no checksum, no atomic rename.
//!
//!     cargo run --release --example ceiling -- http://127.0.0.1:50051 thr_… out.bin [chunk_bytes]
//!
//! Prints `bytes seconds` on stdout.

use std::time::Instant;

use dodil::proto::scriptum_service_client::ScriptumServiceClient;
use dodil::proto::{thread_output_chunk::Chunk, StreamThreadResultRequest};
use tokio::io::AsyncWriteExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, thread_id, out, rest @ ..] = args.as_slice() else {
        return Err("usage: ceiling URL THREAD_ID OUT [CHUNK_BYTES]".into());
    };
    let chunk: i32 = rest.first().map_or(Ok(16 << 20), |c| c.parse())?;

    let channel = tonic::transport::Endpoint::from_shared(url.clone())?
        .http2_adaptive_window(true)
        .connect()
        .await?;
    let mut client = ScriptumServiceClient::new(channel).max_decoding_message_size(64 << 20);
    let started = Instant::now();
    let mut stream = client
        .stream_thread_result(StreamThreadResultRequest {
            thread_id: thread_id.clone(),
            max_chunk_bytes: Some(chunk),
        })
        .await?
        .into_inner();
    let mut file = tokio::fs::File::create(out).await?;
    let mut bytes = 0u64;
    while let Some(message) = stream.message().await? {
        if let Some(Chunk::Output(output)) = message.chunk {
            bytes += output.data.len() as u64;
            file.write_all(&output.data).await?;
        }
    }
    file.flush().await?;
    println!("{bytes} {:.6}", started.elapsed().as_secs_f64());
    Ok(())
}
