//! What a send produces: an [`Exchange`] (the request as sent, the [`Response`], the redirect
//! chain, the timing), and the conversions into history entries and saved examples.

use std::io::Read as _;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tempfile::TempPath;
use time::OffsetDateTime;

use super::redact::Redactions;
use crate::model::{
    Cookie, ExampleId, Header, HistoryEntry, HistoryId, RequestId, ResponseRecord, SavedResponse,
    SentRequest, Settings, StoredBody, capped_body,
};

/// Largest body kept in a saved example; a bigger one is cut (and marked so).
pub const EXAMPLE_BODY_CAP_BYTES: u64 = 16 * 1024 * 1024;

/// A response body: in memory, or spilled to a temporary file (deleted when the last clone is
/// dropped) when it grew past the engine's threshold. Cheap to clone.
#[derive(Clone)]
pub struct ResponseBody {
    /// The whole body when in memory; the first bytes (up to the spill threshold) otherwise.
    head: Bytes,
    file: Option<Arc<TempPath>>,
    size_bytes: u64,
}

impl std::fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseBody")
            .field("size_bytes", &self.size_bytes)
            .field("file", &self.file.as_deref().map(|p| p.to_path_buf()))
            .finish()
    }
}

impl PartialEq for ResponseBody {
    fn eq(&self, other: &Self) -> bool {
        self.size_bytes == other.size_bytes
            && self.head == other.head
            && self.file.as_deref().map(|p| p.to_path_buf()) == other.file.as_deref().map(|p| p.to_path_buf())
    }
}

impl ResponseBody {
    pub fn empty() -> Self {
        Self { head: Bytes::new(), file: None, size_bytes: 0 }
    }

    pub fn in_memory(bytes: Bytes) -> Self {
        let size_bytes = bytes.len() as u64;
        Self { head: bytes, file: None, size_bytes }
    }

    pub(crate) fn spilled(head: Bytes, file: TempPath, size_bytes: u64) -> Self {
        Self { head, file: Some(Arc::new(file)), size_bytes }
    }

    /// The decoded size.
    pub fn len_bytes(&self) -> u64 {
        self.size_bytes
    }

    pub fn is_empty(&self) -> bool {
        self.size_bytes == 0
    }

    /// The whole body, when it is in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        self.file.is_none().then_some(&self.head)
    }

    /// The first bytes: the whole body when in memory, else the part read before spilling.
    /// Enough for previews without touching the disk.
    pub fn head(&self) -> &Bytes {
        &self.head
    }

    /// The temporary file holding a spilled body.
    pub fn file_path(&self) -> Option<&Path> {
        self.file.as_deref().map(|p| &**p)
    }

    pub fn is_spilled(&self) -> bool {
        self.file.is_some()
    }

    /// At most `max_bytes` from the start; reads the file for a spilled body (blocking: call it
    /// off the UI thread).
    pub fn read_prefix(&self, max_bytes: u64) -> std::io::Result<Bytes> {
        let max = usize::try_from(max_bytes).unwrap_or(usize::MAX);
        if self.head.len() as u64 >= max_bytes.min(self.size_bytes) {
            return Ok(self.head.slice(..self.head.len().min(max)));
        }
        let Some(path) = self.file_path() else { return Ok(self.head.clone()) };
        let mut buf = Vec::with_capacity(max.min(64 * 1024 * 1024));
        std::fs::File::open(path)?.take(max_bytes).read_to_end(&mut buf)?;
        Ok(Bytes::from(buf))
    }

    /// The whole body (blocking for a spilled one).
    pub fn read_all(&self) -> std::io::Result<Bytes> {
        self.read_prefix(u64::MAX)
    }

    /// Writes the body to `path` (blocking).
    pub fn save_to(&self, path: &Path) -> std::io::Result<()> {
        match self.file_path() {
            Some(src) => std::fs::copy(src, path).map(|_| ()),
            None => std::fs::write(path, &self.head),
        }
    }
}

/// What came back.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: u16,
    /// The reason phrase (the standard one for the status; HTTP/2 has none on the wire).
    pub reason: String,
    /// `HTTP/1.1`, `HTTP/2`...
    pub http_version: String,
    pub remote_addr: Option<SocketAddr>,
    /// In order, repeats kept.
    pub headers: Vec<Header>,
    /// The cookies this response set (or deleted: their expiry is in the past).
    pub cookies: Vec<Cookie>,
    pub body: ResponseBody,
    /// Bytes received for the body before content decoding (gzip, br...).
    pub wire_size_bytes: u64,
    /// `Content-Encoding` that was decoded, if any.
    pub content_encoding: Option<String>,
    /// The URL that answered (after redirects).
    pub url: String,
    /// The body was stopped by the user before it ended (`SendHandle::stop`): it holds what
    /// arrived until then.
    pub stopped: bool,
}

impl Response {
    /// The first value of a header (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::model::find_header(&self.headers, name)
    }

    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// The decoded body size.
    pub fn size_bytes(&self) -> u64 {
        self.body.len_bytes()
    }

    /// Whether the body is JSON by its content type (`application/json`, `+json`).
    pub fn is_json(&self) -> bool {
        self.content_type().is_some_and(|ct| {
            let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            mime == "application/json" || mime.ends_with("+json") || mime == "text/json"
        })
    }
}

/// One redirect that was followed.
#[derive(Clone, Debug, PartialEq)]
pub struct RedirectHop {
    /// The request of this hop, as sent.
    pub request: SentRequest,
    pub status: u16,
    pub headers: Vec<Header>,
    /// Where it pointed (resolved against the request URL).
    pub location: String,
    pub elapsed: Duration,
}

/// How long things took. Only what the stack measures honestly: no DNS/TCP/TLS split, which
/// the pooled connections of reqwest do not expose per request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Timing {
    /// From the start of the send to the end of the body.
    pub total: Duration,
    /// Fetching an OAuth 2.0 token, when one was fetched.
    pub auth: Duration,
    /// Redirect hops and auth challenges before the final request.
    pub before_final: Duration,
    /// From sending the final request to its response head (time to first byte).
    pub first_byte: Duration,
    /// Reading (and decoding) the final body.
    pub download: Duration,
}

/// One completed send. Its `Debug` output hides auth headers and secret values.
#[derive(Clone)]
pub struct Exchange {
    pub request_id: Option<RequestId>,
    pub name: String,
    pub started_at: OffsetDateTime,
    /// The final request as sent (after variables, auth, cookies, redirects).
    pub request: SentRequest,
    pub response: Response,
    /// Hops before the final one, in order.
    pub redirects: Vec<RedirectHop>,
    pub timing: Timing,
    /// Whether the workspace's cookie jar changed (the app saves it then).
    pub cookies_changed: bool,
    /// What history must hide.
    pub redactions: Redactions,
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("name", &self.name)
            .field("request", &self.redactions.apply(&self.request))
            .field("status", &self.response.status)
            .field("response_headers", &self.response.headers)
            .field("body", &self.response.body)
            .field("redirects", &self.redirects.len())
            .field("timing", &self.timing)
            .finish_non_exhaustive()
    }
}

/// Converts a time to milliseconds, saturating.
fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Exchange {
    fn record(&self, body_cap_bytes: Option<u64>) -> ResponseRecord {
        let r = &self.response;
        let (body, truncated) = match body_cap_bytes {
            None => (None, false),
            Some(cap) => {
                // The head is in memory; the file is read only when the cap goes beyond it.
                let prefix =
                    r.body.read_prefix(cap.saturating_add(4)).unwrap_or_else(|_| r.body.head().clone());
                let cap_usize = usize::try_from(cap).unwrap_or(usize::MAX);
                let (stored, cut) = capped_body(&prefix, cap_usize);
                (Some(stored).filter(|_| !r.body.is_empty()), cut || r.body.len_bytes() > prefix.len() as u64)
            }
        };
        ResponseRecord {
            status: r.status,
            reason: r.reason.clone(),
            http_version: r.http_version.clone(),
            headers: r.headers.clone(),
            body,
            body_truncated: truncated,
            size_bytes: r.body.len_bytes(),
            wire_size_bytes: Some(r.wire_size_bytes),
            time_ms: ms(self.timing.total),
        }
    }

    /// The history entry of this exchange: secrets redacted, bodies capped per `settings`.
    /// May read the head of a spilled body from disk: call it off the UI thread.
    pub fn to_history_entry(&self, settings: &Settings) -> HistoryEntry {
        let cap = settings.history_body_cap_bytes;
        let (request, response) =
            self.redacted_record(cap, settings.store_response_bodies_in_history.then_some(cap));
        HistoryEntry {
            id: HistoryId::new(),
            at: self.started_at,
            request_id: self.request_id,
            name: self.name.clone(),
            request,
            response: Some(response),
            error: None,
            written: None,
            written_incomplete: false,
        }
    }

    /// The request and the response as records keep them (history, a run's kept responses):
    /// secrets hidden, the sent body cut at `sent_cap_bytes`, the response body cut at
    /// `body_cap_bytes` (`None`: not kept). May read a spilled body from disk: call it off the
    /// UI thread.
    pub fn redacted_record(
        &self,
        sent_cap_bytes: u64,
        body_cap_bytes: Option<u64>,
    ) -> (SentRequest, ResponseRecord) {
        let mut request = self.redactions.apply(&self.request);
        cap_sent_body(&mut request, sent_cap_bytes);
        let mut response = self.record(body_cap_bytes);
        for h in &mut response.headers {
            h.value = self.redactions.scrub(&h.value);
        }
        if let Some(StoredBody::Text(text)) = &response.body {
            let scrubbed = self.redactions.scrub(text);
            if scrubbed != *text {
                response.body = Some(StoredBody::Text(scrubbed));
            }
        }
        (request, response)
    }

    /// A saved example named `name` (the body up to [`EXAMPLE_BODY_CAP_BYTES`]). Examples live
    /// in the request's file, which is shareable: auth headers and secret variables' values
    /// are hidden. May read a spilled body from disk: call it off the UI thread.
    pub fn to_saved_response(&self, name: impl Into<String>) -> SavedResponse {
        let request = self.redactions.apply(&self.request);
        SavedResponse {
            id: ExampleId::new(),
            name: name.into(),
            request,
            response: self.record(Some(EXAMPLE_BODY_CAP_BYTES)),
            saved_at: Some(OffsetDateTime::now_utc()),
            source_request: self.request_id,
        }
    }
}

/// Cuts a sent body for storage.
pub(crate) fn cap_sent_body(sent: &mut SentRequest, cap_bytes: u64) {
    if let Some(body) = &sent.body {
        let bytes = body.to_bytes();
        let (stored, cut) = capped_body(&bytes, usize::try_from(cap_bytes).unwrap_or(usize::MAX));
        sent.body = Some(stored);
        sent.body_truncated |= cut;
    }
}

/// The history entry of a send that failed after it started (no response).
pub fn failed_history_entry(
    prepared: &super::PreparedRequest,
    error: &super::SendError,
    started_at: OffsetDateTime,
    settings: &Settings,
) -> HistoryEntry {
    let mut request = prepared.redactions.apply(&prepared.to_sent_request());
    cap_sent_body(&mut request, settings.history_body_cap_bytes);
    HistoryEntry {
        id: HistoryId::new(),
        at: started_at,
        request_id: prepared.request_id,
        name: prepared.name.clone(),
        request,
        response: None,
        error: Some(prepared.redactions.scrub(&error.to_string())),
        written: None,
        written_incomplete: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_body_reads_from_its_file_and_removes_it() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), b"0123456789").unwrap();
        let path = file.path().to_owned();
        let body = ResponseBody::spilled(Bytes::from_static(b"0123"), file.into_temp_path(), 10);
        assert_eq!(body.read_prefix(2).unwrap(), Bytes::from_static(b"01"));
        assert_eq!(body.read_prefix(6).unwrap(), Bytes::from_static(b"012345"));
        assert_eq!(body.read_all().unwrap().len(), 10);
        assert!(body.bytes().is_none());
        let copy = body.clone();
        drop(body);
        assert!(path.exists());
        drop(copy);
        assert!(!path.exists());
    }
}
