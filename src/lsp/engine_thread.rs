//! The engine thread: one OS thread of the server's own that runs the engine work on large
//! documents (checking one, answering a request about one), one job at a time, in the order the
//! jobs were queued, so a slow analysis never stalls the protocol; it delays only the engine work
//! queued behind it. Small documents are checked on the protocol thread (see
//! `server::INLINE_MAX_BYTES`): their check is cheaper than the hand-off.
//!
//! Why one dedicated thread rather than tokio's blocking pool (measured with lspbench, see
//! docs/performance.md, 2026-12-02): a job reaches a thread that is already waiting for it with
//! one wake-up, where the pool needed a spawned task, a semaphore permit and a join handle; and
//! every parse of a large file is made by the same thread, so its allocator reuses one set of
//! pages instead of each pool thread keeping its own (the 1 MB droid peaked at 55 MiB on the
//! pool, 35 MiB here, 34 MiB before the pool).

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;

type Job = Box<dyn FnOnce() + Send>;

/// The queue of the engine thread. The thread ends when the last handle is dropped.
pub struct EngineThread {
    queue: mpsc::Sender<Job>,
}

impl EngineThread {
    /// Starts the thread.
    pub fn start() -> std::io::Result<EngineThread> {
        Self::start_named("agentls-engine")
    }

    /// Starts a thread of the same kind under another name (the index thread, whose long jobs
    /// must not hold up the engine work on documents).
    pub fn start_named(name: &str) -> std::io::Result<EngineThread> {
        let (queue, jobs) = mpsc::channel::<Job>();
        std::thread::Builder::new().name(name.into()).spawn(move || {
            for job in jobs {
                // Jobs guard their own engine calls; this only keeps the thread alive if
                // something around them panics. A job that panics drops its answer channel, so
                // whoever waits for it gets an error instead of waiting forever.
                let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
            }
        })?;
        Ok(EngineThread { queue })
    }

    /// Queues `job` behind the jobs already queued; false if the thread is gone.
    pub fn run(&self, job: impl FnOnce() + Send + 'static) -> bool {
        self.queue.send(Box::new(job)).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_run_in_order_and_a_panic_does_not_end_the_thread() {
        let engine = EngineThread::start().unwrap();
        let (tx, rx) = mpsc::channel();
        for i in 0..3 {
            let tx = tx.clone();
            assert!(engine.run(move || {
                if i == 1 {
                    panic!("deliberate");
                }
                tx.send(i).unwrap();
            }));
        }
        drop(tx);
        assert_eq!(rx.iter().collect::<Vec<_>>(), [0, 2]);
    }
}
