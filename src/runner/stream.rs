//! Event streams in a run. A response that says `text/event-stream` may never end, so a run
//! reads it only until the first N events arrived or a time window passed since its head,
//! whichever comes first (the request's settings `stream_max_events` and `stream_window_ms`,
//! inherited from its folders and collection like the others). The body read so far is the
//! response the checks and test scripts see; the checks read its events (see
//! [`super::checks::Subject`]). Any other body is read to its end, as before.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, oneshot};
use tokio_util::sync::CancellationToken;

use crate::http::sse::{EventStream, is_event_stream};
use crate::http::{BodyListener, Engine, Exchange, LiveEvent, PreparedRequest, SendError, SendOptions};
use crate::model::RequestSettings;

/// Events a run reads of a stream when the request does not say.
pub const DEFAULT_MAX_EVENTS: u32 = 100;
/// How long a run reads a stream when the request does not say, in milliseconds.
pub const DEFAULT_WINDOW_MS: u64 = 10_000;

/// How much of an event stream a run reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamLimits {
    pub max_events: u32,
    pub window_ms: u64,
}

impl StreamLimits {
    /// The limits of a request's (inherited) settings.
    pub fn of(settings: &RequestSettings) -> Self {
        Self {
            max_events: settings.stream_max_events.unwrap_or(DEFAULT_MAX_EVENTS),
            window_ms: settings.stream_window_ms.unwrap_or(DEFAULT_WINDOW_MS),
        }
    }
}

/// What the listener tells the run.
struct Signals {
    /// Whether the final head said `text/event-stream`.
    head: Option<oneshot::Sender<bool>>,
    /// The stream holds enough events.
    enough: Arc<Notify>,
}

/// Counts events on the engine's thread; wakes the run once `max_events` arrived.
fn counting_listener(max_events: u32, mut signals: Signals) -> BodyListener {
    let mut stream: Option<EventStream> = None;
    let mut count: u64 = 0;
    let mut told = false;
    Box::new(move |event| match event {
        LiveEvent::Head(head) => {
            let is_stream = head.content_type.as_deref().is_some_and(is_event_stream);
            if is_stream {
                stream = Some(EventStream::new());
            }
            if let Some(tx) = signals.head.take() {
                let _ = tx.send(is_stream);
            }
        }
        LiveEvent::Chunk(bytes) => {
            if let Some(s) = &mut stream {
                count += s.push(bytes).len() as u64;
                if !told && count >= u64::from(max_events) {
                    told = true;
                    signals.enough.notify_one();
                }
            }
        }
        LiveEvent::End => {}
    })
}

/// Resolves when a stream should stop: never for a body that is not an event stream.
async fn stream_bounds(head: oneshot::Receiver<bool>, enough: Arc<Notify>, window_ms: u64) {
    if head.await != Ok(true) {
        return std::future::pending().await;
    }
    tokio::select! {
        () = enough.notified() => {}
        () = tokio::time::sleep(Duration::from_millis(window_ms)) => {}
    }
}

/// Sends `prepared` like [`Engine::execute`], but stops an event stream at `limits`; `None`
/// when `cancel` fired first.
pub(super) async fn execute_bounded(
    engine: &Engine,
    prepared: &PreparedRequest,
    limits: StreamLimits,
    cancel: &CancellationToken,
) -> Option<Result<Exchange, SendError>> {
    let (head_tx, head_rx) = oneshot::channel();
    let (done_tx, mut done_rx) = oneshot::channel::<()>();
    let enough = Arc::new(Notify::new());
    let listener =
        counting_listener(limits.max_events, Signals { head: Some(head_tx), enough: enough.clone() });
    let options = SendOptions {
        on_finished: Some(Box::new(move || {
            let _ = done_tx.send(());
        })),
        on_body: Some(listener),
    };
    let handle = engine.send(prepared.clone(), options);
    // The send finishes by itself, or is stopped at the stream's bounds and then finishes.
    let finished = async {
        tokio::select! {
            _ = &mut done_rx => {}
            () = stream_bounds(head_rx, enough, limits.window_ms) => {
                handle.stop.stop();
                let _ = done_rx.await;
            }
        }
    };
    tokio::select! {
        biased;
        () = cancel.cancelled() => {
            handle.cancel();
            return None;
        }
        () = finished => {}
    }
    // `on_finished` runs after the result is in the promise.
    match handle.promise.try_take() {
        Ok(result) => Some(result),
        Err(promise) => Some(tokio::task::block_in_place(|| promise.block_and_take())),
    }
}

/// An event stream's body as the checks read it as JSON:
/// `{"count": 2, "ignored_lines": 0, "events": [{"event": "message", "id": "1", "data": …, "retry": 3000}]}`,
/// with each event's data as JSON when it parses and as text otherwise, and `retry` only when
/// the stream set one. Only the first `limit` events count.
pub fn events_json(body: &[u8], limit: Option<u32>) -> serde_json::Value {
    use serde_json::{Map, Value};
    let (mut events, ignored) = crate::http::sse::events_of(body);
    if let Some(limit) = limit.and_then(|l| usize::try_from(l).ok()) {
        events.truncate(limit);
    }
    let list: Vec<Value> = events
        .into_iter()
        .map(|e| {
            let mut o = Map::new();
            let data = serde_json::from_str::<Value>(&e.data).unwrap_or(Value::String(e.data));
            o.insert("event".into(), Value::String(e.event));
            o.insert("id".into(), Value::String(e.id));
            o.insert("data".into(), data);
            if let Some(retry) = e.retry_ms {
                o.insert("retry".into(), Value::from(retry));
            }
            if e.truncated {
                o.insert("truncated".into(), Value::Bool(true));
            }
            Value::Object(o)
        })
        .collect();
    let ignored_lines = ignored.comments + ignored.unknown_fields + ignored.bad_values;
    serde_json::json!({ "count": list.len(), "ignored_lines": ignored_lines, "events": list })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_read_the_first_events_as_json() {
        let body =
            b"retry: 3000\nid: 1\nevent: price\ndata: {\"usd\": 7}\n\n: ping\ndata: plain\n\ndata: third\n\n";
        let all = events_json(body, None);
        assert_eq!(all["count"], 3);
        assert_eq!(all["ignored_lines"], 1);
        assert_eq!(all["events"][0]["event"], "price");
        assert_eq!(all["events"][0]["data"]["usd"], 7);
        assert_eq!(all["events"][0]["retry"], 3000);
        assert_eq!(all["events"][1]["data"], "plain");
        assert_eq!(all["events"][1]["id"], "1");
        let two = events_json(body, Some(2));
        assert_eq!(two["count"], 2);
        assert!(two["events"].get(2).is_none());
    }

    #[test]
    fn limits_come_from_the_settings_or_the_defaults() {
        let none = RequestSettings::default();
        assert_eq!(StreamLimits::of(&none), StreamLimits { max_events: 100, window_ms: 10_000 });
        let set = RequestSettings {
            stream_max_events: Some(3),
            stream_window_ms: Some(500),
            ..RequestSettings::default()
        };
        assert_eq!(StreamLimits::of(&set), StreamLimits { max_events: 3, window_ms: 500 });
    }
}
