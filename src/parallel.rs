//! Cleaning on several threads, with output in input order.
//!
//! [`Ordered`] is a small worker pool for any kind of unit of work: the calling thread submits
//! items, worker threads turn them into results, and the results come back to the calling
//! thread in the order the items were submitted. At most a fixed number of items are in flight,
//! so memory stays bounded however fast the input arrives.
//!
//! The text pipeline uses it through [`with_line_pool`]: the calling thread cuts the input into
//! lines and numbers them, workers run the line rules on batches of lines (the expensive part),
//! and the calling thread passes the results through the document-level halves of
//! `boilerplate` and `layout`, whose state (a held trailing section, watermark counts, a run of
//! blank lines) depends on every line before. That split keeps the output, the changes and
//! their line numbers exactly those of one thread, wherever a batch happens to end.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::{self, Scope};

use crate::pipeline::{Cleaner, LineBatch};

/// Units of work in flight per worker thread: one being worked on, one waiting, so that a
/// worker that finishes early never waits for the calling thread.
const IN_FLIGHT_PER_THREAD: usize = 2;

/// A pool of worker threads that turns items into results and hands the results back in the
/// order the items were submitted.
pub struct Ordered<I, O> {
    jobs: Option<mpsc::Sender<(u64, I)>>,
    /// The workers' end of `jobs`, to take back items no worker has started.
    queue: Arc<Mutex<mpsc::Receiver<(u64, I)>>>,
    results: mpsc::Receiver<(u64, thread::Result<O>)>,
    /// Results of items submitted before this one are dropped on arrival ([`Ordered::abandon`]).
    abandoned_below: u64,
    submitted: u64,
    delivered: u64,
    /// Results that arrived before an earlier one.
    ready: BTreeMap<u64, thread::Result<O>>,
    max_in_flight: usize,
}

impl<I: Send, O: Send> Ordered<I, O> {
    /// Starts `threads` workers (at least one) in `scope`, each running `work` on the items it
    /// takes.
    pub fn start<'scope, 'env, F>(
        scope: &'scope Scope<'scope, 'env>,
        threads: usize,
        work: &'env F,
    ) -> Ordered<I, O>
    where
        F: Fn(I) -> O + Sync,
        I: 'scope,
        O: 'scope,
    {
        let threads = threads.max(1);
        let (job_sender, job_receiver) = mpsc::channel::<(u64, I)>();
        let (result_sender, results) = mpsc::channel();
        let job_receiver = Arc::new(Mutex::new(job_receiver));
        for _ in 0..threads {
            let jobs = Arc::clone(&job_receiver);
            let results = result_sender.clone();
            scope.spawn(move || loop {
                // The lock is held only while waiting for the next item.
                let next = jobs.lock().map(|jobs| jobs.recv());
                let Ok(Ok((sequence, item))) = next else {
                    return;
                };
                // A panic is carried to the calling thread, which re-raises it in order:
                // a worker that died silently would leave the pool waiting forever.
                let result = panic::catch_unwind(AssertUnwindSafe(|| work(item)));
                if results.send((sequence, result)).is_err() {
                    return;
                }
            });
        }
        Ordered {
            jobs: Some(job_sender),
            queue: job_receiver,
            results,
            abandoned_below: 0,
            submitted: 0,
            delivered: 0,
            ready: BTreeMap::new(),
            max_in_flight: threads * IN_FLIGHT_PER_THREAD,
        }
    }

    /// Items submitted whose results have not been delivered yet.
    pub fn in_flight(&self) -> usize {
        (self.submitted - self.delivered) as usize
    }

    /// Submits `item`. Waits first while the pool is full, and delivers every result that is
    /// due, in order, to `deliver`.
    pub fn submit<E>(
        &mut self,
        item: I,
        deliver: &mut dyn FnMut(O) -> Result<(), E>,
    ) -> Result<(), E> {
        while self.in_flight() >= self.max_in_flight {
            self.receive_one();
            self.deliver_ready(deliver)?;
        }
        self.jobs
            .as_ref()
            .expect("the job channel is open while the pool lives")
            .send((self.submitted, item))
            .expect("workers run while the pool lives");
        self.submitted += 1;
        while let Ok((sequence, result)) = self.results.try_recv() {
            if sequence >= self.abandoned_below {
                self.ready.insert(sequence, result);
            }
        }
        self.deliver_ready(deliver)
    }

    /// Waits for every submitted item and delivers the results, in order.
    pub fn wait_all<E>(&mut self, deliver: &mut dyn FnMut(O) -> Result<(), E>) -> Result<(), E> {
        while self.in_flight() > 0 {
            if !self.ready.contains_key(&self.delivered) {
                self.receive_one();
            }
            self.deliver_ready(deliver)?;
        }
        Ok(())
    }

    /// Gives up every submitted item without waiting (for work abandoned on an error): items
    /// no worker has started are taken back, and results still to come are dropped when they
    /// arrive. The pool is then ready for new items.
    pub fn abandon(&mut self) {
        // A worker waits for items holding the lock: then the queue is empty or about to be
        // taken from, and whatever it takes is dropped on arrival like the rest.
        if let Ok(queue) = self.queue.try_lock() {
            while queue.try_recv().is_ok() {}
        }
        self.ready.clear();
        self.delivered = self.submitted;
        self.abandoned_below = self.submitted;
    }

    fn receive_one(&mut self) {
        loop {
            let (sequence, result) = self
                .results
                .recv()
                .expect("workers run while the pool lives");
            if sequence >= self.abandoned_below {
                self.ready.insert(sequence, result);
                return;
            }
        }
    }

    fn deliver_ready<E>(&mut self, deliver: &mut dyn FnMut(O) -> Result<(), E>) -> Result<(), E> {
        while let Some(result) = self.ready.remove(&self.delivered) {
            self.delivered += 1;
            match result {
                Ok(output) => deliver(output)?,
                Err(payload) => panic::resume_unwind(payload),
            }
        }
        Ok(())
    }
}

impl<I, O> Drop for Ordered<I, O> {
    fn drop(&mut self) {
        // Closing the job channel ends the workers once the queue is empty; their scope joins
        // them. Items no worker has started are dropped, so that a run that stops early (a
        // closed pipe) waits only for the items being worked on.
        self.jobs.take();
        if let Ok(queue) = self.queue.lock() {
            while queue.try_recv().is_ok() {}
        }
    }
}

/// Worker threads that run a [`Cleaner`]'s line rules for documents made with
/// [`Cleaner::document_on`].
pub struct LinePool<'c> {
    pub(crate) cleaner: &'c Cleaner,
    pub(crate) ordered: Ordered<LineBatch, LineBatch>,
}

/// Runs `body` with a pool of `threads` worker threads for `cleaner`; the threads end when
/// `body` returns.
///
/// ```
/// use rinse::{Cleaner, Config};
/// use rinse::pipeline::StringSink;
///
/// let cleaner = Cleaner::new(Config::default()).unwrap();
/// let text = rinse::parallel::with_line_pool(&cleaner, 2, |pool| {
///     let mut sink = StringSink::default();
///     let mut document = cleaner.document_on(pool);
///     document.push_str("你好,世界\n", &mut sink).unwrap();
///     document.finish(&mut sink).unwrap();
///     sink.text
/// });
/// assert_eq!(text, "你好，世界\n");
/// ```
pub fn with_line_pool<T>(
    cleaner: &Cleaner,
    threads: usize,
    body: impl FnOnce(&mut LinePool<'_>) -> T,
) -> T {
    let work = |batch: LineBatch| cleaner.clean_batch(batch);
    thread::scope(|scope| {
        let mut pool = LinePool {
            cleaner,
            ordered: Ordered::start(scope, threads, &work),
        };
        body(&mut pool)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_submission_order() {
        // Early items take longest, so results arrive out of order.
        let work = |n: u64| {
            thread::sleep(std::time::Duration::from_millis((20 - n % 20) / 4));
            n * 10
        };
        let delivered = thread::scope(|scope| {
            let mut pool = Ordered::start(scope, 3, &work);
            let mut delivered = Vec::new();
            let mut deliver = |n: u64| -> Result<(), ()> {
                delivered.push(n);
                Ok(())
            };
            for n in 0..50 {
                pool.submit(n, &mut deliver).unwrap();
                assert!(pool.in_flight() <= 3 * IN_FLIGHT_PER_THREAD);
            }
            pool.wait_all(&mut deliver).unwrap();
            delivered
        });
        assert_eq!(delivered, (0..50).map(|n| n * 10).collect::<Vec<_>>());
    }

    #[test]
    fn a_delivery_error_stops_delivery_and_the_rest_can_be_abandoned() {
        let work = |n: u32| n;
        thread::scope(|scope| {
            let mut pool = Ordered::start(scope, 2, &work);
            let mut seen = Vec::new();
            let mut deliver = |n: u32| {
                seen.push(n);
                if n == 1 {
                    Err("full")
                } else {
                    Ok(())
                }
            };
            let mut failed = false;
            for n in 0..8 {
                failed |= pool.submit(n, &mut deliver).is_err();
                if failed {
                    break;
                }
            }
            if !failed {
                assert_eq!(pool.wait_all(&mut deliver), Err("full"));
            }
            pool.abandon();
            assert_eq!(pool.in_flight(), 0);
            assert_eq!(seen, vec![0, 1]);
            // The pool goes on with new items; nothing abandoned comes back.
            let mut after = Vec::new();
            let mut deliver = |n: u32| -> Result<(), &str> {
                after.push(n);
                Ok(())
            };
            for n in 100..110 {
                pool.submit(n, &mut deliver).unwrap();
            }
            pool.wait_all(&mut deliver).unwrap();
            assert_eq!(after, (100..110).collect::<Vec<_>>());
        });
    }

    #[test]
    #[should_panic(expected = "bad item")]
    fn a_panic_in_a_worker_reaches_the_caller() {
        let work = |n: u32| {
            assert!(n != 3, "bad item");
            n
        };
        thread::scope(|scope| {
            let mut pool = Ordered::start(scope, 2, &work);
            let mut deliver = |_| -> Result<(), ()> { Ok(()) };
            for n in 0..6 {
                pool.submit(n, &mut deliver).unwrap();
            }
            pool.wait_all(&mut deliver).unwrap();
        });
    }
}
