//! A helper thread fed through a short queue: the writer of a large file, the hasher of a large
//! stream. The bounded queue keeps memory flat; the thread's result comes back when the queue
//! closes.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use super::atomic::blocking;

pub struct Worker<M, R> {
    tx: Option<SyncSender<M>>,
    thread: Option<JoinHandle<R>>,
}

impl<M: Send + 'static, R: Send + 'static> Worker<M, R> {
    /// Starts `work` on a thread named `name`, with at most `queue` messages waiting for it.
    pub fn spawn(
        name: &str,
        queue: usize,
        work: impl FnOnce(Receiver<M>) -> R + Send + 'static,
    ) -> std::io::Result<Self> {
        let (tx, rx) = sync_channel(queue);
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || work(rx))?;
        Ok(Worker {
            tx: Some(tx),
            thread: Some(thread),
        })
    }

    /// Queues a message, waiting while the queue is full; false when the thread has stopped.
    pub fn send(&self, message: M) -> bool {
        let Some(tx) = &self.tx else { return false };
        blocking(|| tx.send(message)).is_ok()
    }

    /// Closes the queue and waits for the thread's result (`Err`: it panicked).
    pub fn join(mut self) -> std::thread::Result<R> {
        self.close()
            .expect("only join and drop take the thread, and each runs once")
    }
}

impl<M, R> Worker<M, R> {
    fn close(&mut self) -> Option<std::thread::Result<R>> {
        self.tx = None;
        let thread = self.thread.take()?;
        Some(blocking(|| thread.join()))
    }
}

impl<M, R> Drop for Worker<M, R> {
    /// Abandoned work: let the thread finish what is queued and end, before what it works on
    /// (a temporary file) goes away.
    fn drop(&mut self) {
        let _ = self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn join_returns_what_the_thread_made_of_every_message() {
        let worker = Worker::spawn("test", 1, |rx: Receiver<u32>| rx.iter().sum::<u32>()).unwrap();
        for n in 1..=100 {
            assert!(worker.send(n));
        }
        assert_eq!(worker.join().unwrap(), 5050);
    }

    #[test]
    fn a_dropped_worker_finishes_what_was_queued_first() {
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = seen.clone();
        let worker = Worker::spawn("test", 4, move |rx: Receiver<u32>| {
            for _ in rx {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        })
        .unwrap();
        for n in 0..10 {
            assert!(worker.send(n));
        }
        drop(worker);
        assert_eq!(seen.load(Ordering::SeqCst), 10);
    }

    #[test]
    fn a_stopped_thread_refuses_messages_and_join_reports_its_panic() {
        let worker = Worker::spawn("test", 0, |rx: Receiver<u32>| {
            let _ = rx.recv();
            panic!("stopped");
        })
        .unwrap();
        assert!(worker.send(1));
        // The thread has panicked (and dropped its receiver) or is about to: sends fail.
        while worker.send(2) {}
        assert!(worker.join().is_err());
    }
}
