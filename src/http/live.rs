//! Live bodies: a response seen while it arrives.
//!
//! A send may carry a [`BodyListener`] (`SendOptions::on_body`). The engine calls it from its own
//! thread with the head of the final hop (after redirects and authentication rounds), then with
//! every decoded chunk (after gzip, br... are undone) in order, then with [`LiveEvent::End`] once
//! the body is complete or stopped. On an error no `End` comes: the error arrives through the
//! send's promise as before. The listener runs inside the read loop, so it must be cheap and
//! must never block (copy the bytes into a buffer, hand them to a channel or a thread of your
//! own, and return).
//!
//! A [`StopHandle`] (`SendHandle::stop`) ends the body gracefully: the promise resolves `Ok` with
//! the body that arrived so far and `Response::stopped` set. Before the head has arrived, stop
//! is the same as cancel. A body that never ends (Server-Sent Events) therefore streams until it
//! is stopped, cancelled, or refused by the size limit; past the spill threshold it goes to a
//! temporary file like any large body.

use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

/// The head of the response whose body is about to stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveHead {
    pub status: u16,
    pub reason: String,
    /// In order, repeats kept.
    pub headers: Vec<(String, String)>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
}

/// What a [`BodyListener`] hears, in this order: one `Head`, any number of `Chunk`s, one `End`.
#[derive(Debug)]
pub enum LiveEvent<'a> {
    Head(&'a LiveHead),
    /// Decoded bytes (content coding undone); may cut anywhere, even inside a UTF-8 character.
    Chunk(&'a [u8]),
    /// The body is complete, or was stopped.
    End,
}

/// Called from the engine's thread; must not block (see the [module docs](self)).
pub type BodyListener = Box<dyn FnMut(LiveEvent<'_>) + Send>;

struct StopState {
    /// Ends the body read gracefully.
    stop: CancellationToken,
    /// The send's cancel token: what stop means before the head arrives.
    cancel: CancellationToken,
    /// Whether the final head has arrived (the body is being read).
    head_seen: Mutex<bool>,
}

/// Stops reading a body; cloneable, usable from any thread.
#[derive(Clone)]
pub struct StopHandle(Arc<StopState>);

impl std::fmt::Debug for StopHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StopHandle").field("stopped", &self.0.stop.is_cancelled()).finish()
    }
}

impl StopHandle {
    pub(crate) fn new(cancel: CancellationToken) -> Self {
        Self(Arc::new(StopState { stop: CancellationToken::new(), cancel, head_seen: Mutex::new(false) }))
    }

    /// Ends the body where it is: the send resolves with what arrived so far, marked stopped.
    /// Before the head has arrived, cancels the send instead. Does nothing once it is finished.
    pub fn stop(&self) {
        let seen = self.0.head_seen.lock().map_or(true, |g| *g);
        if seen {
            self.0.stop.cancel();
        } else {
            self.0.cancel.cancel();
        }
    }

    /// Whether [`Self::stop`] was called after the head arrived.
    pub fn is_stopped(&self) -> bool {
        self.0.stop.is_cancelled()
    }
}

/// The live side of one send, as the engine sees it.
pub(crate) struct LiveBody {
    listener: Option<BodyListener>,
    stop: Option<StopHandle>,
}

impl LiveBody {
    /// No listener and no stop: what `Engine::execute` reads with.
    pub(crate) fn none() -> Self {
        Self { listener: None, stop: None }
    }

    pub(crate) fn new(listener: Option<BodyListener>, stop: StopHandle) -> Self {
        Self { listener, stop: Some(stop) }
    }

    /// The final head has arrived: from now on stop ends the body instead of cancelling.
    pub(crate) fn head(&mut self, head: &LiveHead) {
        if let Some(stop) = &self.stop
            && let Ok(mut seen) = stop.0.head_seen.lock()
        {
            *seen = true;
        }
        if let Some(listener) = self.listener.as_mut() {
            listener(LiveEvent::Head(head));
        }
    }

    pub(crate) fn chunk(&mut self, data: &[u8]) {
        if !data.is_empty()
            && let Some(listener) = self.listener.as_mut()
        {
            listener(LiveEvent::Chunk(data));
        }
    }

    pub(crate) fn end(&mut self) {
        if let Some(listener) = self.listener.as_mut() {
            listener(LiveEvent::End);
        }
    }

    /// A token cancelled when the body is to stop; never cancelled without a stop handle.
    pub(crate) fn stop_token(&self) -> CancellationToken {
        self.stop.as_ref().map_or_else(CancellationToken::new, |s| s.0.stop.clone())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn stop_before_the_head_cancels_the_send() {
        let cancel = CancellationToken::new();
        let stop = StopHandle::new(cancel.clone());
        stop.stop();
        assert!(cancel.is_cancelled());
        assert!(!stop.is_stopped());
    }

    #[test]
    fn stop_after_the_head_ends_the_body_without_cancelling() {
        let cancel = CancellationToken::new();
        let stop = StopHandle::new(cancel.clone());
        let heard = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&heard);
        let mut live = LiveBody::new(
            Some(Box::new(move |e: LiveEvent<'_>| {
                sink.lock().unwrap().push(match e {
                    LiveEvent::Head(h) => format!("head {}", h.status),
                    LiveEvent::Chunk(c) => format!("chunk {}", c.len()),
                    LiveEvent::End => "end".into(),
                });
            })),
            stop.clone(),
        );
        live.head(&LiveHead { status: 200, ..LiveHead::default() });
        live.chunk(b"abc");
        live.chunk(b"");
        stop.stop();
        assert!(live.stop_token().is_cancelled());
        assert!(!cancel.is_cancelled());
        live.end();
        assert_eq!(*heard.lock().unwrap(), ["head 200", "chunk 3", "end"]);
    }
}
