//! Errors of the script engine itself: a library that cannot be loaded, a sandbox that cannot
//! start or answers wrongly, a native function that fails, `pm.sendRequest` going nowhere.
//!
//! What a script did wrong is a [`super::ScriptError`]: these become its message (their texts are
//! what the user reads), or, for a native function, the message of the error a script catches.

/// Why a library module (the sandbox library, or one `require` names) is not ready. A library is
/// compiled once per process and its result kept, so each caller gets a copy: the engine's
/// reasons are kept as text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LibraryError {
    /// `require` named a module that is not among the libraries.
    #[error("Cannot find module '{name}'")]
    NotFound { name: String },
    /// The engine that compiles the libraries did not start.
    #[error("{reason}")]
    Engine { reason: String },
    #[error("the script library {name} does not compile: {reason}")]
    Compile { name: String, reason: String },
    #[error("the script library {name} cannot be written as bytecode: {reason}")]
    Bytecode { name: String, reason: String },
}

/// A call into the sandbox library (`__lp.<name>`) that threw.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The deadline's interrupt stopped it.
    #[error("interrupted")]
    Interrupted,
    /// An exception: its message, then the stack (where the script's line and column are).
    #[error("{message}\n{stack}")]
    Threw { message: String, stack: String },
}

/// Why a request's sandbox could not be made, set up or read back: the engine's fault or the
/// sandbox library's, not a script's.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error(transparent)]
    Library(#[from] LibraryError),
    /// A runtime or a context could not be made.
    #[error("cannot start the script engine: {0}")]
    Engine(rquickjs::Error),
    /// The native functions could not be put on the context.
    #[error(transparent)]
    Natives(rquickjs::Error),
    /// The sandbox library threw while it was evaluated.
    #[error("the script sandbox failed to start: {reason}")]
    Load { reason: String },
    /// The request's input could not be written as JSON for the sandbox.
    #[error(transparent)]
    Input(serde_json::Error),
    /// Setting Postman's objects up from the input threw.
    #[error("the script sandbox failed to start: {0}")]
    Setup(CallError),
    /// Starting an event or collecting what its scripts did threw.
    #[error(transparent)]
    Call(#[from] CallError),
    /// What the sandbox collected is not what the host reads.
    #[error("the script sandbox returned {0}")]
    Collected(serde_json::Error),
}

/// A native function's failure: the script gets an `Error` with this message.
#[derive(Debug, thiserror::Error)]
pub(super) enum NativeError {
    /// `xml2Json` on text that is not XML.
    #[error("xml2Json: {0}")]
    Xml(roxmltree::Error),
    #[error("AES: a key of {bytes} bytes (AES takes 16, 24 or 32)")]
    AesKeyLength { bytes: usize },
    /// A key or an initialization vector of the wrong length for the mode.
    #[error("AES: {0}")]
    AesLength(aes::cipher::InvalidLength),
    /// Data that does not decrypt: not whole blocks, or padding that is not PKCS#7 (a wrong key,
    /// most often).
    #[error("AES: {0}")]
    AesUnpad(aes::cipher::block_padding::UnpadError),
}

/// Why `pm.sendRequest` got no response; the script's callback gets the message as its error.
#[derive(Debug, thiserror::Error)]
pub enum OutboundError {
    /// The caller has no way out (tests, a caller without an engine).
    #[error("pm.sendRequest is not available here")]
    Unavailable,
    /// The request could not be prepared or sent: the error of whoever sends (the runner's
    /// engine), which the script layer does not know.
    #[error(transparent)]
    Send(Box<dyn std::error::Error + Send + Sync>),
}
