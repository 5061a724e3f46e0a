//! One request's sandbox: a fresh QuickJS runtime and context with the sandbox library loaded,
//! and the loop that runs a script, its timers and its `pm.sendRequest` callbacks under the
//! deadline.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rquickjs::context::{EvalOptions, intrinsic};
use rquickjs::{CatchResultExt, CaughtError, Context, Ctx, Function, Module, Object, Runtime, WriteOptions};

use super::{
    CallError, ChangedRequest, ConsoleLine, Event, EventOutput, LibraryError, Limits, NextRequest, Outbound,
    ResponseView, SandboxError, SandboxInput, ScriptError, ScriptSent, ScriptSource, SendSpec, TestResult,
    VarOp, natives,
};

/// The sandbox library: chai, then Postman's API, as one module.
const SANDBOX_SOURCE: &str = concat!(include_str!("js/chai.js"), "\n", include_str!("js/sandbox.js"));

/// What wraps a script: a function body in sloppy mode, on the script's first line (so its line
/// numbers are the script's own; columns on line 1 are shifted by the prefix).
const WRAP_PREFIX: &str = "(function(){";
const WRAP_SUFFIX: &str = "\n}).call(globalThis)";
/// The file name errors carry for a script.
const SCRIPT_FILE: &str = "script";

/// Compiles a module to bytecode, once per process for each library.
pub(super) fn compile(name: &str, source: &str) -> Result<Vec<u8>, LibraryError> {
    let engine = |e: rquickjs::Error| LibraryError::Engine { reason: e.to_string() };
    let rt = Runtime::new().map_err(engine)?;
    let ctx = Context::full(&rt).map_err(engine)?;
    ctx.with(|ctx| {
        let module = Module::declare(ctx.clone(), name, source)
            .catch(&ctx)
            .map_err(|e| LibraryError::Compile { name: name.to_owned(), reason: e.to_string() })?;
        module
            .write(WriteOptions { strip_source: true, strip_debug: true, ..Default::default() })
            .map_err(|e| LibraryError::Bytecode { name: name.to_owned(), reason: e.to_string() })
    })
}

fn sandbox_bytecode() -> Result<&'static [u8], LibraryError> {
    static CODE: OnceLock<Result<Vec<u8>, LibraryError>> = OnceLock::new();
    CODE.get_or_init(|| compile("sandbox", SANDBOX_SOURCE)).as_deref().map_err(Clone::clone)
}

/// Evaluates a library module from its bytecode and returns its namespace.
#[allow(unsafe_code)]
pub(super) fn load_module<'js>(ctx: &Ctx<'js>, bytecode: &'static [u8]) -> rquickjs::Result<Object<'js>> {
    // SAFETY: the bytes were written by `compile` in this process, by this same QuickJS, from
    // source compiled into the binary; they are never read from a file or from a script. They
    // live for the whole process (a `static`), as QuickJS's ROM-data loading requires.
    let module = unsafe { Module::load(ctx.clone(), bytecode) }?;
    let (module, promise) = module.eval()?;
    promise.finish::<()>()?;
    module.namespace()
}

/// What a sandbox's context has: the language (`Context::full` less `performance` and QuickJS's own
/// `atob`/`btoa`, which the sandbox library replaces; Postman's sandbox has no `performance`).
/// The typed arrays are added when a script first names one (`natives::TYPED_ARRAY_GLOBALS`).
type Intrinsics = (
    intrinsic::Date,
    intrinsic::Eval,
    intrinsic::RegExpCompiler,
    intrinsic::RegExp,
    intrinsic::Json,
    intrinsic::Proxy,
    intrinsic::MapSet,
    intrinsic::Promise,
    intrinsic::WeakRef,
);

/// When the running script must stop, shared with the runtime's interrupt handler (which may
/// run on whichever thread holds the sandbox).
#[derive(Clone, Default)]
pub(super) struct Deadline(Arc<AtomicU64>);

impl Deadline {
    fn base() -> Instant {
        static BASE: OnceLock<Instant> = OnceLock::new();
        *BASE.get_or_init(Instant::now)
    }

    pub(super) fn set(&self, at: Option<Instant>) {
        // 0 is "none"; an instant is stored as nanoseconds after the base, plus one.
        let n = at.map_or(0, |at| {
            u64::try_from(at.saturating_duration_since(Self::base()).as_nanos()).unwrap_or(u64::MAX - 1) + 1
        });
        self.0.store(n, Ordering::SeqCst);
    }

    pub(super) fn get(&self) -> Option<Instant> {
        match self.0.load(Ordering::SeqCst) {
            0 => None,
            n => Some(Self::base() + Duration::from_nanos(n - 1)),
        }
    }

    fn passed(&self) -> bool {
        self.get().is_some_and(|at| Instant::now() >= at)
    }
}

/// State the native functions share with the driver.
#[derive(Default)]
pub(super) struct Host {
    /// `pm.sendRequest`s waiting to be sent: (id, spec).
    pub sends: Vec<(u32, SendSpec)>,
    pub next_send: u32,
}

/// A sandbox with its library loaded and nothing of any request in it yet: what can be made
/// ahead of time (a run makes the next one while the current request is sent). `Send`, so it can
/// be made on another thread.
pub struct Blank {
    // Field order: the context is dropped before its runtime.
    context: Context,
    runtime: Runtime,
    deadline: Deadline,
    host: Arc<Mutex<Host>>,
    limits: Limits,
}

impl Blank {
    /// A fresh runtime and context, the natives installed and the sandbox library evaluated.
    pub fn new(limits: Limits) -> Result<Self, SandboxError> {
        let bytecode = sandbox_bytecode()?;
        let runtime = Runtime::new().map_err(SandboxError::Engine)?;
        runtime.set_memory_limit(limits.memory_bytes);
        runtime.set_max_stack_size(limits.stack_bytes);
        // QuickJS collects cycles every 256 KiB allocated by default, several times while the
        // library loads; a request's sandbox is short-lived and freed whole, so collect rarely.
        runtime.set_gc_threshold((limits.memory_bytes / 4).max(1 << 20));
        let deadline = Deadline::default();
        let d = deadline.clone();
        runtime.set_interrupt_handler(Some(Box::new(move || d.passed())));
        let context = Context::custom::<Intrinsics>(&runtime).map_err(SandboxError::Engine)?;
        let host = Arc::new(Mutex::new(Host::default()));
        let started = Instant::now();
        deadline.set(Some(Instant::now() + limits.timeout.max(Duration::from_secs(1))));
        let loaded = context.with(|ctx| -> Result<(), SandboxError> {
            natives::install(&ctx, host.clone(), started).map_err(SandboxError::Natives)?;
            load_module(&ctx, bytecode)
                .catch(&ctx)
                .map(|_| ())
                .map_err(|e| SandboxError::Load { reason: e.to_string() })
        });
        deadline.set(None);
        loaded?;
        Ok(Self { context, runtime, deadline, host, limits })
    }

    /// The sandbox of one request: Postman's objects set up from `input`.
    pub fn setup(self, input: &SandboxInput) -> Result<Sandbox, SandboxError> {
        let json = serde_json::to_string(input).map_err(SandboxError::Input)?;
        // Setting up has its own deadline: the library is ours, but the input is the user's.
        self.deadline.set(Some(Instant::now() + self.limits.timeout.max(Duration::from_secs(1))));
        let setup = self.context.with(|ctx| call::<()>(&ctx, "setup", (json,)).map_err(SandboxError::Setup));
        self.deadline.set(None);
        setup?;
        let Blank { context, runtime, deadline, host, limits } = self;
        Ok(Sandbox { context, _runtime: runtime, deadline, host, limits })
    }
}

/// A request's sandbox: a fresh runtime and context, used from its pre-request scripts to its
/// test scripts (see [`super::ScriptHost`]).
pub struct Sandbox {
    // Field order: the context is dropped before its runtime.
    context: Context,
    _runtime: Runtime,
    deadline: Deadline,
    host: Arc<Mutex<Host>>,
    limits: Limits,
}

impl Sandbox {
    /// A fresh runtime and context for one request, with the sandbox set up from `input`.
    pub fn new(input: &SandboxInput, limits: Limits) -> Result<Self, SandboxError> {
        Blank::new(limits)?.setup(input)
    }

    /// Runs one event's scripts in order. `response` and `sent` are for [`Event::Test`]: the
    /// response and the request as it was sent.
    pub fn run(
        &mut self,
        event: Event,
        scripts: &[ScriptSource],
        response: Option<&ResponseView>,
        sent: Option<&super::RequestView>,
        outbound: &dyn Outbound,
    ) -> EventOutput {
        let mut out = EventOutput::default();
        let begin = match (response, sent) {
            (None, None) => String::new(),
            _ => serde_json::json!({ "response": response, "sentRequest": sent }).to_string(),
        };
        let body = response.map(|r| r.body.clone()).unwrap_or_default();
        let ctx_result = self.context.with(|ctx| -> Result<(), SandboxError> {
            self.deadline.set(Some(Instant::now() + self.limits.timeout));
            let r = call::<()>(&ctx, "begin", (event.name(), begin, body));
            self.deadline.set(None);
            r?;
            for script in scripts {
                out.scripts_run += 1;
                let label = format!("{} {}", script.owner, event.label());
                self.deadline.set(Some(Instant::now() + self.limits.timeout));
                let outcome = call(&ctx, "script", (label,))
                    .map_err(|e| ScriptError::new(script.owner.clone(), event, e.to_string()))
                    .and_then(|()| self.eval_script(&ctx, script, event))
                    .and_then(|()| self.drain(&ctx, script, event, outbound, &mut out.sent));
                // A script stopped by its deadline leaves the interrupt set: lift it so what the
                // script did before can be collected.
                self.deadline.set(Some(Instant::now() + Duration::from_secs(1)));
                let after = call::<()>(&ctx, "afterScript", ());
                self.deadline.set(None);
                if let Err(e) = outcome {
                    out.errors.push(e);
                }
                if let Err(e) = after {
                    out.errors.push(ScriptError::new(script.owner.clone(), event, e.to_string()));
                }
            }
            self.deadline.set(Some(Instant::now() + Duration::from_secs(1)));
            let collected: Result<String, CallError> = call(&ctx, "collect", ());
            self.deadline.set(None);
            let collected: Collected = serde_json::from_str(&collected?).map_err(SandboxError::Collected)?;
            out.ops = collected.ops;
            out.tests = collected.tests;
            out.console = collected.console;
            out.skip_request = collected.skip;
            out.request = collected.request;
            if collected.next_request.set {
                out.next_request = Some(match collected.next_request.name {
                    Some(name) => NextRequest::Named(name),
                    None => NextRequest::Stop,
                });
            }
            Ok(())
        });
        if let Err(e) = ctx_result {
            let owner =
                scripts.first().map(|s| s.owner.clone()).unwrap_or_else(|| "the script sandbox".into());
            out.errors.push(ScriptError::new(owner, event, e.to_string()));
        }
        out
    }

    fn eval_script(&self, ctx: &Ctx<'_>, script: &ScriptSource, event: Event) -> Result<(), ScriptError> {
        let mut code = String::with_capacity(WRAP_PREFIX.len() + script.code.len() + WRAP_SUFFIX.len());
        code.push_str(WRAP_PREFIX);
        code.push_str(&script.code);
        code.push_str(WRAP_SUFFIX);
        let mut options = EvalOptions::default();
        options.strict = false;
        options.global = true;
        options.filename = Some(SCRIPT_FILE.into());
        let result: rquickjs::Result<()> = ctx.eval_with_options(code, options);
        result.catch(ctx).map_err(|e| self.script_error(e, script, event))
    }

    /// Runs what the script left to do: promise jobs, `pm.sendRequest` callbacks, timers.
    fn drain(
        &self,
        ctx: &Ctx<'_>,
        script: &ScriptSource,
        event: Event,
        outbound: &dyn Outbound,
        sent: &mut Vec<ScriptSent>,
    ) -> Result<(), ScriptError> {
        let error = |message: String| ScriptError::new(script.owner.clone(), event, message);
        loop {
            while ctx.execute_pending_job() {}
            if self.expired() {
                return Err(error(self.timeout_message()));
            }
            let sends = std::mem::take(
                &mut self.host.lock().unwrap_or_else(std::sync::PoisonError::into_inner).sends,
            );
            if !sends.is_empty() {
                for (id, spec) in sends {
                    let result = outbound.send(&spec);
                    sent.push(ScriptSent {
                        method: spec.method.clone(),
                        url: spec.url.clone(),
                        outcome: match &result {
                            Ok(r) => format!("{} {}", r.code, r.status),
                            Err(e) => e.to_string(),
                        },
                    });
                    if self.expired() {
                        return Err(error(self.timeout_message()));
                    }
                    let delivered = match result {
                        Ok(r) => {
                            let json = serde_json::to_string(&r).unwrap_or_default();
                            call::<()>(ctx, "deliver", (id, rquickjs::Undefined, json, r.body))
                        }
                        Err(e) => call::<()>(
                            ctx,
                            "deliver",
                            (id, e.to_string(), rquickjs::Undefined, rquickjs::Undefined),
                        ),
                    };
                    delivered.map_err(|e| self.located(&e, script, event))?;
                }
                continue;
            }
            let wait: f64 = call(ctx, "nextTimer", ()).map_err(|e| error(e.to_string()))?;
            if wait < 0.0 {
                return Ok(());
            }
            let wait = Duration::from_secs_f64(wait / 1000.0);
            if let Some(at) = self.deadline.get() {
                let left = at.saturating_duration_since(Instant::now());
                if wait > left {
                    std::thread::sleep(left);
                    return Err(error(self.timeout_message()));
                }
            }
            std::thread::sleep(wait);
            call::<()>(ctx, "fireTimer", ()).map_err(|e| self.located(&e, script, event))?;
        }
    }

    fn expired(&self) -> bool {
        self.deadline.passed()
    }

    fn timeout_message(&self) -> String {
        format!(
            "the script ran longer than its limit of {} ms and was stopped",
            self.limits.timeout.as_millis()
        )
    }

    /// A script's error from a call that ran its code (a callback, a timer): placed where the
    /// stack says, in the script's own text.
    fn located(&self, error: &CallError, script: &ScriptSource, event: Event) -> ScriptError {
        let CallError::Threw { message, .. } = error else {
            return ScriptError::new(script.owner.clone(), event, self.timeout_message());
        };
        let (line, column) = location(&error.to_string());
        ScriptError { owner: script.owner.clone(), event, message: first_line(message), line, column }
    }

    fn script_error(&self, caught: CaughtError<'_>, script: &ScriptSource, event: Event) -> ScriptError {
        let (message, stack) = describe(caught);
        let (line, column) = location(&stack);
        let message = if message == "interrupted" {
            self.timeout_message()
        } else if message == "Uncaught null" {
            // QuickJS throws `null` when it cannot even allocate the out-of-memory error.
            format!(
                "Uncaught null: the script threw null, or ran out of memory (more than its limit of {} MiB)",
                self.limits.memory_bytes >> 20
            )
        } else if message.ends_with("out of memory") {
            format!(
                "{message}: the script used more than its limit of {} MiB",
                self.limits.memory_bytes >> 20
            )
        } else {
            message
        };
        ScriptError { owner: script.owner.clone(), event, message, line, column }
    }
}

/// Message and stack of what a script threw.
fn describe(caught: CaughtError<'_>) -> (String, String) {
    match caught {
        CaughtError::Exception(e) => {
            let name: Option<String> = e.as_object().get("name").ok();
            let message = e.message().unwrap_or_default();
            let name = name.filter(|n| !n.is_empty()).unwrap_or_else(|| "Error".into());
            let message = if message == "interrupted" { message } else { format!("{name}: {message}") };
            (message, e.stack().unwrap_or_default())
        }
        CaughtError::Value(v) => {
            let text = v
                .as_string()
                .and_then(|s| s.to_string().ok())
                .or_else(|| v.as_number().map(|n| n.to_string()))
                .unwrap_or_else(|| v.type_of().as_str().to_owned());
            (format!("Uncaught {text}"), String::new())
        }
        CaughtError::Error(e) => (e.to_string(), String::new()),
    }
}

/// The first `script:LINE:COL` in a stack, in the script's own coordinates.
fn location(stack: &str) -> (Option<u32>, Option<u32>) {
    let marker = format!("{SCRIPT_FILE}:");
    for (i, _) in stack.match_indices(&marker) {
        let preceded = stack[..i].chars().next_back().is_none_or(|c| c == '(' || c.is_whitespace());
        if !preceded {
            continue;
        }
        let rest = &stack[i + marker.len()..];
        let mut parts = rest.split(|c: char| !c.is_ascii_digit());
        let line = parts.next().and_then(|l| l.parse::<u32>().ok());
        let column = parts.next().and_then(|c| c.parse::<u32>().ok());
        if let (Some(l), Some(c)) = (line, column) {
            let prefix = u32::try_from(WRAP_PREFIX.len()).unwrap_or(0);
            let c = if l == 1 { c.saturating_sub(prefix).max(1) } else { c };
            return (Some(l), Some(c));
        }
    }
    (None, None)
}

/// The first line of an exception's message (what a script's error shows).
fn first_line(message: &str) -> String {
    message.split('\n').next().unwrap_or(message).to_owned()
}

/// Calls `__lp.<name>(args)`; an exception becomes its message and stack.
fn call<'js, R: rquickjs::FromJs<'js>>(
    ctx: &Ctx<'js>,
    name: &str,
    args: impl rquickjs::function::IntoArgs<'js>,
) -> Result<R, CallError> {
    let result = (|| -> rquickjs::Result<R> {
        let lp: Object = ctx.globals().get("__lp")?;
        let f: Function = lp.get(name)?;
        f.call(args)
    })();
    result.catch(ctx).map_err(|e| match describe(e) {
        (message, _) if message == "interrupted" => CallError::Interrupted,
        (message, stack) => CallError::Threw { message, stack },
    })
}

#[derive(serde::Deserialize)]
struct Collected {
    ops: Vec<VarOp>,
    tests: Vec<TestResult>,
    console: Vec<ConsoleLine>,
    #[serde(rename = "nextRequest")]
    next_request: CollectedNext,
    skip: bool,
    request: Option<ChangedRequest>,
}

#[derive(serde::Deserialize)]
struct CollectedNext {
    set: bool,
    #[serde(default)]
    name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_in_the_scripts_own_coordinates() {
        assert_eq!(location("    at <anonymous> (script:2:7)\n    at call (native)"), (Some(2), Some(7)));
        assert_eq!(location("    at script:1:20\n"), (Some(1), Some(8)));
        assert_eq!(location("    at f (native)"), (None, None));
    }

    fn global_names(context: &Context) -> Vec<String> {
        context.with(|ctx| ctx.eval("Object.getOwnPropertyNames(globalThis)").unwrap_or_default())
    }

    // The context is made without the typed arrays (and `performance`); the library defines
    // each global the language would have, and the typed arrays appear on first use.
    #[test]
    fn a_sandbox_has_every_global_of_the_language() {
        let rt = Runtime::new().expect("runtime");
        let full = global_names(&Context::full(&rt).expect("context"));
        let bare = global_names(&Context::custom::<Intrinsics>(&rt).expect("context"));
        let blank = Blank::new(Limits::default()).expect("sandbox");
        let names = global_names(&blank.context);
        // Neither is among the globals Postman's sandbox gives a script.
        let left_out = ["performance", "DOMException"];
        let missing: Vec<_> =
            full.iter().filter(|n| !left_out.contains(&n.as_str()) && !names.contains(n)).collect();
        assert!(missing.is_empty(), "{missing:?}");
        let typed: Vec<_> =
            full.iter().filter(|n| !bare.contains(n) && !left_out.contains(&n.as_str())).collect();
        assert!(typed.iter().any(|n| *n == "Uint8Array") && typed.len() > 10, "{typed:?}");
        for name in typed {
            // Each, read first in a fresh sandbox, is the real one.
            let blank = Blank::new(Limits::default()).expect("sandbox");
            let kind: String = blank.context.with(|ctx| {
                ctx.eval(format!(
                    "const t = typeof {name}; \
                     const d = Object.getOwnPropertyDescriptor(globalThis, '{name}'); \
                     t + ' ' + ('value' in d) + ' ' + (typeof Uint8Array)"
                ))
                .unwrap_or_default()
            });
            assert!(kind == "function true function" || kind == "object true function", "{name}: {kind}");
        }
        let blank = Blank::new(Limits::default()).expect("sandbox");
        let bytes: String = blank.context.with(|ctx| {
            ctx.eval("Uint8Array = 1; [typeof Uint8Array, new Int16Array([1, 2]).length].join()")
                .unwrap_or_default()
        });
        assert_eq!(bytes, "number,2");
        // A script that makes one undeletable before they are added gets an error, not an abort.
        let blank = Blank::new(Limits::default()).expect("sandbox");
        let error: String = blank.context.with(|ctx| {
            ctx.eval(
                "Object.defineProperty(globalThis, 'Atomics', { value: 1, configurable: false }); \
                 try { new Uint8Array(1); 'no error' } catch (e) { String(e) }",
            )
            .unwrap_or_default()
        });
        assert_eq!(
            error,
            "TypeError: the typed arrays cannot be added: a script made the global Atomics undeletable"
        );
    }
}
