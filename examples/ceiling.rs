//! The ceiling for the benchmark: the least a tonic client can do to read a thread's output —
//! StreamThreadResult straight into a file, no validation, no checksum, no atomic rename.
//!
//!     cargo run --release --example ceiling -- http://127.0.0.1:50051 thr_… out.bin [--fsync]
//!
//! It rides the same transport as `dodil` (channel settings, chunk size asked for, honouring
//! `DODIL_RESULT_CHUNK_BYTES`) on a single-threaded runtime, and writes each chunk with a plain
//! blocking `write` straight from the received buffer. With `--fsync` the file is fsynced before
//! the clock stops, as `--save` must for durability. Prints `bytes seconds` on stdout.

use std::io::Write;
use std::time::Instant;

use dodil::proto::scriptum_service_client::ScriptumServiceClient;
use dodil::proto::{thread_output_chunk::Chunk, StreamThreadResultRequest};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let fsync = args.iter().any(|a| a == "--fsync");
    args.retain(|a| a != "--fsync");
    let [url, thread_id, out] = args.as_slice() else {
        return Err("usage: ceiling URL THREAD_ID OUT [--fsync]".into());
    };

    let channel = dodil::endpoint(url)?.connect().await?;
    let mut client =
        ScriptumServiceClient::new(channel).max_decoding_message_size(dodil::MAX_MESSAGE_BYTES);
    let started = Instant::now();
    let mut stream = client
        .stream_thread_result(StreamThreadResultRequest {
            thread_id: thread_id.clone(),
            max_chunk_bytes: Some(dodil::result_chunk_bytes().unwrap_or(dodil::CHUNK_BYTES)),
        })
        .await?
        .into_inner();
    let mut file = std::fs::File::create(out)?;
    let mut bytes = 0u64;
    while let Some(message) = stream.message().await? {
        if let Some(Chunk::Output(output)) = message.chunk {
            bytes += output.data.len() as u64;
            file.write_all(&output.data)?;
        }
    }
    if fsync {
        file.sync_all()?;
    }
    println!("{bytes} {:.6}", started.elapsed().as_secs_f64());
    Ok(())
}
