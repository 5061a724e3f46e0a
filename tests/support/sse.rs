//! A Server-Sent Events server on 127.0.0.1: the trickle server ([`super::trickle`]) answering
//! `text/event-stream`, its events written in chunked pieces as a script says (bytes, pauses, a
//! gate the test opens, keep-alives until the client goes), so tests see events arrive one by
//! one.

use std::time::Duration;

use super::trickle::{Drip, Trickle};

/// One step of what the server writes.
#[derive(Clone)]
pub enum Step {
    /// These bytes, as one chunk.
    Write(Vec<u8>),
    Pause(Duration),
    /// Waits until the test calls [`SseServer::open_gate`].
    Gate,
    /// Writes `: ping` again and again until the client closes the connection.
    KeepAlive,
}

/// `Step::Write` of text.
pub fn write(text: &str) -> Step {
    Step::Write(text.as_bytes().to_vec())
}

impl Step {
    fn drip(self) -> Drip {
        match self {
            Step::Write(bytes) => Drip::Write(bytes),
            Step::Pause(d) => Drip::Pause(d),
            Step::Gate => Drip::Gate(1),
            Step::KeepAlive => Drip::Forever(b": ping\n".to_vec()),
        }
    }
}

pub struct SseServer(Trickle);

impl SseServer {
    /// Plays `steps` to every request, then ends the body.
    pub fn start(steps: Vec<Step>) -> SseServer {
        let drips = steps.into_iter().map(Step::drip).collect();
        SseServer(Trickle::start("text/event-stream; charset=utf-8", None, drips))
    }

    pub fn url(&self, path: &str) -> String {
        self.0.url(path)
    }

    /// Lets every stream waiting at a [`Step::Gate`] go on.
    pub fn open_gate(&self) {
        self.0.open(1);
    }

    pub fn requests(&self) -> usize {
        self.0.requests()
    }

    /// Whether a client closed its connection while the server was still writing.
    pub fn client_gone(&self) -> bool {
        self.0.client_gone()
    }
}
