//! Sending a request tab through the engine, off the UI thread.

use std::time::Instant;

use poll_promise::Promise;

use super::response::ResponseView;

/// A send in progress.
pub struct InFlight {
    pub started: Instant,
    pub promise: Promise<Result<ResponseView, String>>,
    cancel: Option<Box<dyn FnOnce() + Send>>,
}

impl InFlight {
    pub fn new(promise: Promise<Result<ResponseView, String>>, cancel: Box<dyn FnOnce() + Send>) -> Self {
        Self { started: Instant::now(), promise, cancel: Some(cancel) }
    }

    pub fn cancel(&mut self) {
        if let Some(cancel) = self.cancel.take() {
            cancel();
        }
    }
}

impl super::App {
    pub(super) fn send(&mut self, _ctx: &egui::Context, tab: super::state::TabId) {
        if let Some(r) = self.state.tab_mut(tab).and_then(super::state::Tab::request_mut) {
            r.error = Some("Sending is not wired to the engine yet.".into());
        }
    }

    pub(super) fn poll_sends(&mut self, _ctx: &egui::Context) {
        for tab in &mut self.state.tabs {
            let Some(r) = tab.request_mut() else { continue };
            let Some(in_flight) = r.in_flight.take() else { continue };
            match in_flight.promise.try_take() {
                Ok(Ok(view)) => {
                    r.response = Some(view);
                    r.error = None;
                }
                Ok(Err(e)) => r.error = Some(e),
                Err(promise) => r.in_flight = Some(InFlight { promise, ..in_flight }),
            }
        }
    }

    pub(super) fn any_in_flight(&self) -> bool {
        self.state.tabs.iter().filter_map(super::state::Tab::request).any(|r| r.in_flight.is_some())
    }
}

/// Turns a pasted cURL command into a request.
pub fn parse_curl(text: &str) -> Result<crate::model::Request, String> {
    let _ = text;
    Err("cURL commands are read once the importers are in".into())
}
