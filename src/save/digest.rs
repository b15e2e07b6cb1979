//! SHA-256 of a stream, computed beside it rather than in its way.
//!
//! Hashing costs about as much CPU as receiving (SHA-NI: ~1.7 GiB/s, one core), so a large
//! download hashed on the receiving thread runs at roughly half the speed it could. Past
//! [`BACKGROUND_AFTER`] bytes the chunks (refcounted [`Bytes`], no copy) go to a hashing thread
//! of their own through a short queue, which keeps memory flat.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use bytes::Bytes;
use sha2::digest::Output;
use sha2::{Digest, Sha256};

use super::atomic::blocking;
use super::worker::Worker;

/// Bytes hashed inline before the rest moves to a hashing thread.
pub const BACKGROUND_AFTER: u64 = 1024 * 1024;
/// Chunks queued for the hashing thread at most (with 512 KiB chunks: 2 MiB in flight).
const QUEUE_CHUNKS: usize = 4;

enum Message {
    Data(Bytes),
    /// Reply with the hash state of everything sent so far.
    Snapshot(SyncSender<Sha256>),
}

enum State {
    Inline(Sha256),
    Background(Worker<Message, Sha256>),
}

/// A running SHA-256 that moves to its own thread once the stream is large.
pub struct StreamHasher {
    state: State,
    bytes: u64,
}

impl Default for StreamHasher {
    fn default() -> Self {
        StreamHasher::new()
    }
}

impl StreamHasher {
    pub fn new() -> Self {
        StreamHasher {
            state: State::Inline(Sha256::new()),
            bytes: 0,
        }
    }

    /// Adds a received chunk (handed to the hashing thread without a copy).
    pub fn update(&mut self, data: &Bytes) {
        self.bytes += data.len() as u64;
        if self.bytes > BACKGROUND_AFTER {
            self.go_background();
        }
        match &mut self.state {
            State::Inline(hasher) => hasher.update(data),
            State::Background(worker) => {
                if !worker.send(Message::Data(data.clone())) {
                    self.rethrow();
                }
            }
        }
    }

    /// Adds borrowed bytes: hashed inline while small, copied to the hashing thread after.
    pub fn update_slice(&mut self, data: &[u8]) {
        match &mut self.state {
            State::Inline(hasher) if self.bytes + data.len() as u64 <= BACKGROUND_AFTER => {
                self.bytes += data.len() as u64;
                hasher.update(data);
            }
            _ => self.update(&Bytes::copy_from_slice(data)),
        }
    }

    /// The hash state of everything added so far (waits for the hashing thread to catch up).
    pub fn snapshot(&mut self) -> Sha256 {
        match &self.state {
            State::Inline(hasher) => hasher.clone(),
            State::Background(worker) => {
                let (reply_tx, reply_rx) = sync_channel(1);
                if worker.send(Message::Snapshot(reply_tx)) {
                    if let Ok(hasher) = blocking(|| reply_rx.recv()) {
                        return hasher;
                    }
                }
                self.rethrow()
            }
        }
    }

    /// The digest of everything added.
    pub fn finish(self) -> Output<Sha256> {
        match self.state {
            State::Inline(hasher) => hasher.finalize(),
            State::Background(worker) => match worker.join() {
                Ok(hasher) => hasher.finalize(),
                Err(panic) => std::panic::resume_unwind(panic),
            },
        }
    }

    /// Starts the hashing thread with the state so far; stays inline if no thread can be had.
    fn go_background(&mut self) {
        let State::Inline(hasher) = &self.state else {
            return;
        };
        let start = hasher.clone();
        if let Ok(worker) =
            Worker::spawn("dodil-sha256", QUEUE_CHUNKS, move |rx| hash_all(start, rx))
        {
            self.state = State::Background(worker);
        }
    }

    /// The hashing thread stopped while we still feed it, which only a panic does: its panic
    /// is ours.
    fn rethrow(&mut self) -> ! {
        let State::Background(worker) =
            std::mem::replace(&mut self.state, State::Inline(Sha256::new()))
        else {
            unreachable!("only a hashing thread can stop");
        };
        match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(_) => unreachable!("the hashing thread returns only once its queue is closed"),
        }
    }
}

fn hash_all(mut hasher: Sha256, rx: Receiver<Message>) -> Sha256 {
    for message in rx {
        match message {
            Message::Data(data) => hasher.update(&data),
            Message::Snapshot(reply) => {
                let _ = reply.send(hasher.clone());
            }
        }
    }
    hasher
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(data: &[u8]) -> Output<Sha256> {
        Sha256::digest(data)
    }

    #[test]
    fn small_and_large_streams_hash_like_one_pass() {
        for total in [0usize, 10, 1024 * 1024, 3 * 1024 * 1024 + 17] {
            let data: Vec<u8> = (0..total).map(|i| (i * 31 % 251) as u8).collect();
            let mut hasher = StreamHasher::new();
            for (i, chunk) in data.chunks(300 * 1024 + 7).enumerate() {
                if i % 2 == 0 {
                    hasher.update(&Bytes::copy_from_slice(chunk));
                } else {
                    hasher.update_slice(chunk);
                }
            }
            assert_eq!(hasher.finish(), expected(&data), "{total} bytes");
        }
    }

    #[test]
    fn borrowed_bytes_count_towards_the_move_to_a_thread() {
        let data = vec![3u8; 2 * 1024 * 1024];
        let mut hasher = StreamHasher::new();
        for chunk in data.chunks(256 * 1024) {
            hasher.update_slice(chunk);
        }
        assert!(matches!(hasher.state, State::Background(_)));
        assert_eq!(hasher.finish(), expected(&data));
    }

    #[test]
    fn a_snapshot_is_the_state_so_far_and_the_stream_goes_on() {
        let data = vec![9u8; 4 * 1024 * 1024];
        let mut hasher = StreamHasher::new();
        let (first, rest) = data.split_at(3 * 1024 * 1024);
        for chunk in first.chunks(512 * 1024) {
            hasher.update(&Bytes::copy_from_slice(chunk));
        }
        assert!(matches!(hasher.state, State::Background { .. }));
        assert_eq!(hasher.snapshot().finalize(), expected(first));
        hasher.update_slice(rest);
        assert_eq!(hasher.finish(), expected(&data));
    }
}
