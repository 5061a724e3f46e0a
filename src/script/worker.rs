//! The thread scripts run on. A request's sandbox must live from its pre-request scripts to
//! its test scripts while the request is sent elsewhere (the async engine); so one thread owns
//! it, and callers send it jobs. For a run, a second thread makes blank sandboxes ahead.
//!
//! The runner keeps one [`ScriptHost`] for a whole run; the app one per send. Each job that
//! starts a request (`fresh`) gets a new sandbox: nothing is shared between requests.

use std::sync::mpsc;

use tokio::sync::oneshot;

// A blank sandbox is made on the thread ahead and used on the script thread; a used one is
// freed on the thread ahead.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<Blank>();
    send::<Sandbox>();
};

use super::{
    Blank, Event, EventOutput, Limits, Outbound, RequestView, ResponseView, Sandbox, SandboxError,
    SandboxInput, ScriptError, ScriptSource,
};

/// One event to run.
pub struct ScriptJob {
    /// A new sandbox for a new request, made from this; `None` runs on the current one.
    pub fresh: Option<Box<SandboxInput>>,
    pub event: Event,
    pub scripts: Vec<ScriptSource>,
    pub response: Option<ResponseView>,
    /// The request as it was sent (for `pm.request` in test scripts).
    pub sent: Option<RequestView>,
}

struct Envelope {
    job: ScriptJob,
    reply: oneshot::Sender<EventOutput>,
}

/// A script thread and the way to it. Dropping it ends the thread once its jobs are done.
pub struct ScriptHost {
    jobs: mpsc::Sender<Envelope>,
}

/// The script thread's native stack (the JavaScript stack limit is a part of it).
const THREAD_STACK_BYTES: usize = 16 << 20;

/// How many blank sandboxes a run keeps made ahead.
const AHEAD: usize = 2;

impl ScriptHost {
    /// Starts the thread. `outbound` sends what scripts ask with `pm.sendRequest`.
    pub fn spawn(limits: Limits, outbound: Box<dyn Outbound + Send>) -> std::io::Result<Self> {
        Self::start(limits, outbound, false)
    }

    /// [`ScriptHost::spawn`] for a run of many requests: a second thread keeps blank sandboxes
    /// made ahead (a fresh runtime, context and library each), so a request pays only for
    /// setting its own up. Each is still used for one request only.
    pub fn spawn_for_run(limits: Limits, outbound: Box<dyn Outbound + Send>) -> std::io::Result<Self> {
        Self::start(limits, outbound, true)
    }

    fn start(limits: Limits, outbound: Box<dyn Outbound + Send>, ahead: bool) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel::<Envelope>();
        let (blanks, trash) = if ahead {
            let (made, blanks) = mpsc::sync_channel::<Result<Blank, SandboxError>>(AHEAD);
            let (trash, bin) = mpsc::channel::<Sandbox>();
            let thread = std::thread::Builder::new().name("localpost-scripts-ahead".into());
            thread.stack_size(THREAD_STACK_BYTES).spawn(move || {
                // Makes the next sandboxes, and frees the used ones (freeing a runtime walks all
                // it allocated): both off the path of the run. Ends when the script thread is gone.
                loop {
                    while let Ok(used) = bin.try_recv() {
                        drop(used);
                    }
                    if made.send(Blank::new(limits)).is_err() {
                        break;
                    }
                }
            })?;
            (Some(blanks), Some(trash))
        } else {
            (None, None)
        };
        let thread = std::thread::Builder::new().name("localpost-scripts".into());
        thread.stack_size(THREAD_STACK_BYTES).spawn(move || {
            let mut sandbox: Option<Sandbox> = None;
            while let Ok(Envelope { job, reply }) = rx.recv() {
                let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    if job.fresh.is_some()
                        && let (Some(trash), Some(used)) = (&trash, sandbox.take())
                    {
                        let _ = trash.send(used);
                    }
                    run_job(&mut sandbox, job, limits, outbound.as_ref(), blanks.as_ref())
                }))
                .unwrap_or_else(|panic| {
                    sandbox = None;
                    EventOutput::failed(ScriptError::new(
                        "the script engine",
                        Event::PreRequest,
                        format!("stopped unexpectedly: {}", panic_text(panic.as_ref())),
                    ))
                });
                let _ = reply.send(out);
            }
        })?;
        Ok(Self { jobs: tx })
    }

    /// Queues a job; the receiver gets its output (or is dropped if the thread is gone).
    pub fn submit(&self, job: ScriptJob) -> oneshot::Receiver<EventOutput> {
        let (reply, rx) = oneshot::channel();
        let _ = self.jobs.send(Envelope { job, reply });
        rx
    }

    /// Runs a job and waits for it (for callers outside an async runtime).
    pub fn run_blocking(&self, job: ScriptJob) -> EventOutput {
        let event = job.event;
        self.submit(job).blocking_recv().unwrap_or_else(|_| gone(event))
    }

    /// Runs a job from async code.
    pub async fn run(&self, job: ScriptJob) -> EventOutput {
        let event = job.event;
        self.submit(job).await.unwrap_or_else(|_| gone(event))
    }
}

/// The output of an event whose script thread is gone.
pub fn gone(event: Event) -> EventOutput {
    EventOutput::failed(ScriptError::new("the script engine", event, "the script thread is gone"))
}

fn run_job(
    sandbox: &mut Option<Sandbox>,
    job: ScriptJob,
    limits: Limits,
    outbound: &dyn Outbound,
    blanks: Option<&mpsc::Receiver<Result<Blank, SandboxError>>>,
) -> EventOutput {
    if let Some(input) = job.fresh {
        *sandbox = None;
        let blank = match blanks.and_then(|b| b.recv().ok()) {
            Some(made) => made,
            None => Blank::new(limits),
        };
        match blank.and_then(|b| b.setup(&input)) {
            Ok(s) => *sandbox = Some(s),
            Err(e) => {
                let out = EventOutput::failed(ScriptError::new(
                    job.scripts
                        .first()
                        .map(|s| s.owner.clone())
                        .unwrap_or_else(|| "the script engine".into()),
                    job.event,
                    e.to_string(),
                ));
                return out;
            }
        }
    }
    match sandbox {
        Some(s) => s.run(job.event, &job.scripts, job.response.as_ref(), job.sent.as_ref(), outbound),
        None => gone(job.event),
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into())
}
