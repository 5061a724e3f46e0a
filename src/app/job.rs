//! Work off the UI thread. [`spawn`] runs a closure on its own named thread and returns a
//! promise that always resolves: a panic in the work becomes an `Err` naming the job (a promise
//! whose sender vanished would panic the UI thread when polled), and the result is delivered
//! before the repaint is asked for, so the frame it wakes sees it.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use poll_promise::{Promise, Sender};

/// A background job's result: its own value, or why it ended without one.
pub type Job<T> = Promise<Result<T, String>>;

/// Runs `work` on a thread named `name` (see the module doc).
pub fn spawn<T: Send + 'static>(
    ctx: &egui::Context,
    name: &'static str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Job<T> {
    let (sender, promise) = Promise::new();
    let slot = Arc::new(Mutex::new(Some(sender)));
    let in_thread = slot.clone();
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new().name(name.into()).spawn(move || {
        deliver(&in_thread, catch(name, work));
        ctx.request_repaint();
    });
    if let Err(e) = spawned {
        deliver(&slot, Err(format!("cannot start {name}: {e}")));
    }
    promise
}

/// Runs `work` here, turning a panic into an error that names `what`.
pub fn catch<T>(what: &str, work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(AssertUnwindSafe(work)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        format!("{what} stopped unexpectedly ({message}); nothing else was affected")
    })
}

/// Creates a [`Job`] answered from elsewhere (a task on the writer's thread, a thread of one's
/// own): see [`Reply`].
pub fn reply<T: Send + 'static>(ctx: &egui::Context, what: &'static str) -> (Reply<T>, Job<T>) {
    let (sender, promise) = Promise::new();
    (Reply { sender: Some(sender), ctx: ctx.clone(), what }, promise)
}

/// The answering half of a [`Job`]. Answering asks for a repaint after the value is in. Dropped
/// without an answer (the work panicked, or was never run because the writer had stopped), it
/// answers with an error naming the work, so the window never waits for ever nor panics.
pub struct Reply<T: Send + 'static> {
    sender: Option<Sender<Result<T, String>>>,
    ctx: egui::Context,
    what: &'static str,
}

impl<T: Send + 'static> Reply<T> {
    pub fn send(self, value: T) {
        self.answer(Ok(value));
    }

    /// Answers with a result the work made itself.
    pub fn send_result(self, result: Result<T, String>) {
        self.answer(result);
    }

    fn answer(mut self, result: Result<T, String>) {
        if let Some(sender) = self.sender.take() {
            sender.send(result);
            self.ctx.request_repaint();
        }
    }
}

impl<T: Send + 'static> Drop for Reply<T> {
    fn drop(&mut self) {
        if let Some(sender) = self.sender.take() {
            sender.send(Err(format!("{} stopped before it finished; nothing else was affected", self.what)));
            self.ctx.request_repaint();
        }
    }
}

fn deliver<T: Send + 'static>(slot: &Mutex<Option<Sender<Result<T, String>>>>, value: Result<T, String>) {
    let sender = match slot.lock() {
        Ok(mut guard) => guard.take(),
        Err(poisoned) => poisoned.into_inner().take(),
    };
    if let Some(sender) = sender {
        sender.send(value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T: Send + 'static>(job: Job<T>) -> Result<T, String> {
        job.block_and_take()
    }

    #[test]
    fn a_job_delivers_its_value() {
        let ctx = egui::Context::default();
        assert_eq!(wait(spawn(&ctx, "adding", || 2 + 2)), Ok(4));
    }

    #[test]
    fn a_reply_dropped_unanswered_resolves_with_an_error() {
        let ctx = egui::Context::default();
        let (reply, job) = reply::<u32>(&ctx, "keeping the run");
        let handle = std::thread::spawn(move || {
            let _reply = reply;
            panic!("the writer's task failed");
        });
        assert!(handle.join().is_err());
        let err = wait(job).unwrap_err();
        assert!(err.contains("keeping the run"), "{err}");
    }

    #[test]
    fn a_panicking_job_resolves_with_an_error_naming_it() {
        let ctx = egui::Context::default();
        let job = spawn(&ctx, "reading the file", || -> u32 { panic!("boom") });
        let err = wait(job).unwrap_err();
        assert!(err.contains("reading the file") && err.contains("boom"), "{err}");
    }
}
