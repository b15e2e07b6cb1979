//! SHA-256 of a stream, computed beside it rather than in its way.
//!
//! Hashing costs about as much CPU as receiving (SHA-NI: ~1.7 GiB/s, one core), so a large
//! download hashed on the receiving thread runs at roughly half the speed it could. Past
//! [`BACKGROUND_AFTER`] bytes the chunks (refcounted [`Bytes`], no copy) go to a hashing thread
//! of their own through a short queue, which keeps memory flat.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use bytes::Bytes;
use sha2::digest::Output;
use sha2::{Digest, Sha256};

use super::atomic::blocking;

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
    Background {
        tx: SyncSender<Message>,
        thread: JoinHandle<Sha256>,
    },
    /// Between two states (never seen outside a method).
    Moving,
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
        let sent = match &mut self.state {
            State::Inline(hasher) => {
                hasher.update(data);
                true
            }
            State::Background { tx, .. } => {
                blocking(|| tx.send(Message::Data(data.clone()))).is_ok()
            }
            State::Moving => unreachable!("a hasher is never left moving"),
        };
        if !sent {
            self.recover();
            self.update_inline(data);
        }
    }

    /// Adds borrowed bytes: hashed inline while small, copied to the hashing thread after.
    pub fn update_slice(&mut self, data: &[u8]) {
        if matches!(self.state, State::Inline(_))
            && self.bytes + data.len() as u64 <= BACKGROUND_AFTER
        {
            self.update_inline(data);
        } else {
            self.update(&Bytes::copy_from_slice(data));
        }
    }

    /// The hash state of everything added so far (waits for the hashing thread to catch up).
    pub fn snapshot(&mut self) -> Sha256 {
        match &self.state {
            State::Inline(hasher) => hasher.clone(),
            State::Background { tx, .. } => {
                let (reply_tx, reply_rx) = sync_channel(1);
                let asked = blocking(|| tx.send(Message::Snapshot(reply_tx))).is_ok();
                match asked.then(|| blocking(|| reply_rx.recv()).ok()).flatten() {
                    Some(hasher) => hasher,
                    None => {
                        self.recover();
                        self.snapshot()
                    }
                }
            }
            State::Moving => unreachable!("a hasher is never left moving"),
        }
    }

    /// The digest of everything added.
    pub fn finish(mut self) -> Output<Sha256> {
        match std::mem::replace(&mut self.state, State::Moving) {
            State::Inline(hasher) => hasher.finalize(),
            State::Background { tx, thread } => {
                drop(tx);
                join(thread).finalize()
            }
            State::Moving => unreachable!("a hasher is never left moving"),
        }
    }

    fn update_inline(&mut self, data: &[u8]) {
        if let State::Inline(hasher) = &mut self.state {
            hasher.update(data);
        }
    }

    /// Starts the hashing thread with the state so far; stays inline if no thread can be had.
    fn go_background(&mut self) {
        let State::Inline(hasher) = &self.state else {
            return;
        };
        let (tx, rx) = sync_channel(QUEUE_CHUNKS);
        let start = hasher.clone();
        let spawned = std::thread::Builder::new()
            .name("dodil-sha256".into())
            .spawn(move || hash_all(start, rx));
        if let Ok(thread) = spawned {
            self.state = State::Background { tx, thread };
        }
    }

    /// The hashing thread stopped (only a panic can do that): its panic is ours.
    fn recover(&mut self) {
        if let State::Background { tx, thread } = std::mem::replace(&mut self.state, State::Moving)
        {
            drop(tx);
            self.state = State::Inline(join(thread));
        }
    }
}

impl Drop for StreamHasher {
    /// An abandoned stream: let the thread finish what is queued and end.
    fn drop(&mut self) {
        if let State::Background { tx, thread } = std::mem::replace(&mut self.state, State::Moving)
        {
            drop(tx);
            let _ = thread.join();
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

fn join(thread: JoinHandle<Sha256>) -> Sha256 {
    match blocking(|| thread.join()) {
        Ok(hasher) => hasher,
        Err(panic) => std::panic::resume_unwind(panic),
    }
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
