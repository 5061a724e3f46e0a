//! Request bodies built for the wire (files streamed from disk), and response bodies read from
//! it: counted on the wire, decoded (gzip, deflate, br, zstd), capped, and spilled to a temporary
//! file past a threshold so a large download never sits in memory.

use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_compression::tokio::bufread::{
    BrotliDecoder, DeflateDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder,
};
use bytes::{Bytes, BytesMut};
use futures_util::TryStreamExt as _;
use tokio::io::{AsyncBufRead, AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio_util::io::{ReaderStream, StreamReader};

use super::error::{ErrorSite, SendError, classify};
use super::live::LiveBody;
use super::prepare::{PartValue, PreparedBody};
use super::response::ResponseBody;

/// A body ready for reqwest, and its length when known.
pub(crate) struct WireBody {
    pub body: Option<reqwest::Body>,
    pub multipart: Option<reqwest::multipart::Form>,
    pub length: Option<u64>,
}

async fn open(path: &Path, role: &str) -> Result<(tokio::fs::File, u64), SendError> {
    let fail = |reason: String| SendError::FileUnreadable {
        role: role.to_owned(),
        path: path.display().to_string(),
        reason,
    };
    let file = tokio::fs::File::open(path).await.map_err(|e| fail(io_reason(&e)))?;
    let meta = file.metadata().await.map_err(|e| fail(io_reason(&e)))?;
    if !meta.is_file() {
        return Err(fail("it is not a file".into()));
    }
    Ok((file, meta.len()))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "the file does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| "file".to_owned(), |n| n.to_string_lossy().into_owned())
}

/// Builds a fresh body (files reopened) for one attempt.
pub(crate) async fn wire_body(body: &PreparedBody) -> Result<WireBody, SendError> {
    Ok(match body {
        PreparedBody::None => WireBody { body: None, multipart: None, length: None },
        PreparedBody::Bytes(bytes) => WireBody {
            body: Some(reqwest::Body::from(bytes.clone())),
            multipart: None,
            length: Some(bytes.len() as u64),
        },
        PreparedBody::File(path) => {
            let (file, len) = open(path, "the binary body").await?;
            let stream = ReaderStream::with_capacity(file, 64 * 1024);
            WireBody { body: Some(reqwest::Body::wrap_stream(stream)), multipart: None, length: Some(len) }
        }
        PreparedBody::Multipart(parts) => {
            let mut form = reqwest::multipart::Form::new();
            for part in parts {
                let mut p = match &part.value {
                    PartValue::Text(text) => reqwest::multipart::Part::text(text.clone()),
                    PartValue::NoFile => reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
                    PartValue::File(path) => {
                        let (file, len) = open(path, &format!("form part `{}`", part.name)).await?;
                        let stream = ReaderStream::with_capacity(file, 64 * 1024);
                        let mime = mime_guess::from_path(path).first_or_octet_stream();
                        reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(stream), len)
                            .file_name(file_name(path))
                            .mime_str(mime.as_ref())
                            .map_err(|e| SendError::Internal(e.to_string()))?
                    }
                };
                if let Some(ct) = &part.content_type {
                    p = p.mime_str(ct).map_err(|_| SendError::InvalidField {
                        field: format!("content type of form part `{}`", part.name),
                        reason: format!("`{ct}` is not a MIME type"),
                    })?;
                }
                form = form.part(part.name.clone(), p);
            }
            WireBody { body: None, multipart: Some(form), length: None }
        }
    })
}

/// The SHA-256 of a body (files read in full), for AWS SigV4. `None` for multipart.
pub(crate) async fn body_sha256(body: &PreparedBody) -> Result<Option<String>, SendError> {
    use sha2::Digest as _;
    Ok(match body {
        PreparedBody::None => Some(super::auth::sigv4::EMPTY_SHA256.to_owned()),
        PreparedBody::Bytes(b) => Some(super::auth::sigv4::payload_hash(b)),
        PreparedBody::File(path) => {
            let (mut file, _) = open(path, "the binary body").await?;
            let mut hasher = sha2::Sha256::new();
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = file.read(&mut buf).await.map_err(|e| SendError::FileUnreadable {
                    role: "the binary body".into(),
                    path: path.display().to_string(),
                    reason: io_reason(&e),
                })?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
            }
            Some(super::auth::hex(&hasher.finalize()))
        }
        PreparedBody::Multipart(_) => None,
    })
}

/// The first `max` bytes of a body that has bytes (raw, URL-encoded, GraphQL, a file); `None`
/// for no body and for a multipart one.
pub(crate) async fn body_head(body: &PreparedBody, max: usize) -> Result<Option<Vec<u8>>, SendError> {
    Ok(match body {
        PreparedBody::None | PreparedBody::Multipart(_) => None,
        PreparedBody::Bytes(b) => Some(b[..b.len().min(max)].to_vec()),
        PreparedBody::File(path) => {
            let (file, _) = open(path, "the binary body").await?;
            let mut head = Vec::new();
            file.take(u64::try_from(max).unwrap_or(u64::MAX)).read_to_end(&mut head).await.map_err(|e| {
                SendError::FileUnreadable {
                    role: "the binary body".into(),
                    path: path.display().to_string(),
                    reason: io_reason(&e),
                }
            })?;
            Some(head)
        }
    })
}

/// Limits and places for reading a response body.
pub(crate) struct ReadLimits<'a> {
    /// Decoded (and wire) bytes allowed; `None` for no limit.
    pub max_bytes: Option<u64>,
    /// Whose limit `max_bytes` is, for the message when it is reached.
    pub max_set_by: String,
    pub spill_threshold_bytes: u64,
    pub spill_dir: Option<&'a Path>,
}

/// Where decoded bytes go: memory up to the threshold, then a temporary file.
struct Sink {
    mem: BytesMut,
    file: Option<(tokio::io::BufWriter<tokio::fs::File>, tempfile::TempPath, PathBuf)>,
    head: Bytes,
    size: u64,
    threshold: u64,
}

impl Sink {
    fn new(threshold: u64) -> Self {
        Sink { mem: BytesMut::new(), file: None, head: Bytes::new(), size: 0, threshold }
    }

    async fn write(&mut self, data: &[u8], spill_dir: Option<&Path>) -> Result<(), SendError> {
        self.size += data.len() as u64;
        if self.file.is_none() && (self.mem.len() + data.len()) as u64 <= self.threshold {
            self.mem.extend_from_slice(data);
            return Ok(());
        }
        if self.file.is_none() {
            let dir = spill_dir.map_or_else(std::env::temp_dir, Path::to_path_buf);
            let spill_err = |e: std::io::Error| SendError::SpillFile {
                path: dir.display().to_string(),
                detail: e.to_string(),
            };
            let tmp =
                tempfile::Builder::new().prefix("localpost-body-").tempfile_in(&dir).map_err(spill_err)?;
            let (std_file, path) = tmp.into_parts();
            let shown = path.to_path_buf();
            let mut writer =
                tokio::io::BufWriter::with_capacity(1024 * 1024, tokio::fs::File::from_std(std_file));
            self.head = std::mem::take(&mut self.mem).freeze();
            writer.write_all(&self.head).await.map_err(spill_err)?;
            self.file = Some((writer, path, shown));
        }
        if let Some((writer, _, shown)) = self.file.as_mut() {
            writer.write_all(data).await.map_err(|e| SendError::SpillFile {
                path: shown.display().to_string(),
                detail: e.to_string(),
            })?;
        }
        Ok(())
    }

    async fn finish(self) -> Result<ResponseBody, SendError> {
        match self.file {
            None => Ok(ResponseBody::in_memory(self.mem.freeze())),
            Some((mut writer, path, shown)) => {
                writer.flush().await.map_err(|e| SendError::SpillFile {
                    path: shown.display().to_string(),
                    detail: e.to_string(),
                })?;
                Ok(ResponseBody::spilled(self.head, path, self.size))
            }
        }
    }
}

type Reader = Pin<Box<dyn AsyncBufRead + Send>>;

/// Wraps `reader` in the decoder of one content coding; `None` for an unknown coding.
fn decoder(coding: &str, reader: Reader, first: &[u8]) -> Option<Reader> {
    Some(match coding {
        "gzip" | "x-gzip" => Box::pin(BufReader::new(GzipDecoder::new(reader))),
        "deflate" => {
            // Servers send zlib-wrapped deflate (RFC 9110) or, wrongly, raw deflate.
            let zlib = first.len() >= 2
                && first[0] & 0x0F == 8
                && (u16::from(first[0]) << 8 | u16::from(first[1])) % 31 == 0;
            if zlib {
                Box::pin(BufReader::new(ZlibDecoder::new(reader)))
            } else {
                Box::pin(BufReader::new(DeflateDecoder::new(reader)))
            }
        }
        "br" => Box::pin(BufReader::new(BrotliDecoder::new(reader))),
        "zstd" => Box::pin(BufReader::new(ZstdDecoder::new(reader))),
        _ => return None,
    })
}

/// The content codings to undo, outermost first; `None` if one is unknown (then the body is kept
/// as received).
fn codings(header: Option<&str>) -> Option<Vec<String>> {
    let mut list: Vec<String> = header
        .unwrap_or("")
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    list.reverse();
    list.iter().all(|c| matches!(c.as_str(), "gzip" | "x-gzip" | "deflate" | "br" | "zstd")).then_some(list)
}

/// A body as read: the bytes, the wire size, the coding that was decoded, and whether the read
/// was stopped before the body ended.
pub(crate) struct ReadBody {
    pub body: ResponseBody,
    pub wire_bytes: u64,
    pub decoded: Option<String>,
    pub stopped: bool,
}

/// Reads a response body, telling `live` about each decoded chunk and stopping when it says.
pub(crate) async fn read_body(
    resp: reqwest::Response,
    limits: &ReadLimits<'_>,
    site: &ErrorSite<'_>,
    live: &mut LiveBody,
) -> Result<ReadBody, SendError> {
    let too_large = || SendError::BodyTooLarge {
        host: site.host(),
        limit_bytes: limits.max_bytes.unwrap_or(0),
        set_by: limits.max_set_by.clone(),
    };
    if let (Some(max), Some(len)) = (limits.max_bytes, resp.content_length())
        && len > max
    {
        return Err(too_large());
    }
    let encoding_header = resp
        .headers()
        .get(reqwest::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if codings(encoding_header.as_deref()).is_none_or(|list| list.is_empty()) {
        return read_plain(resp, limits, site, live).await.map(|(body, wire_bytes, stopped)| ReadBody {
            body,
            wire_bytes,
            decoded: None,
            stopped,
        });
    }
    let stop = live.stop_token();
    let wire = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&wire);
    let stream = resp
        .bytes_stream()
        .map_ok(move |chunk| {
            counter.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            chunk
        })
        .map_err(std::io::Error::other);
    let mut raw: Reader = Box::pin(StreamReader::new(stream));
    let map_read_err = |e: std::io::Error, decoding: Option<&str>| -> SendError {
        if let Some(inner) = e.get_ref().filter(|i| i.is::<reqwest::Error>()) {
            return classify(inner, site);
        }
        match decoding {
            Some(coding) => {
                SendError::Decode { host: site.host(), encoding: coding.to_owned(), detail: e.to_string() }
            }
            None => classify(&e, site),
        }
    };
    // Peek so an empty body with a Content-Encoding (HEAD, 204, 304) is not "corrupt".
    let first = tokio::select! {
        biased;
        () = stop.cancelled() => None,
        read = raw.fill_buf() => Some(read.map_err(|e| map_read_err(e, None))?.to_vec()),
    };
    let mut sink = Sink::new(limits.spill_threshold_bytes);
    let Some(first) = first.filter(|f| !f.is_empty()) else {
        let stopped = stop.is_cancelled();
        return Ok(ReadBody { body: sink.finish().await?, wire_bytes: 0, decoded: None, stopped });
    };
    let (mut reader, decoded) = match codings(encoding_header.as_deref()) {
        Some(list) if !list.is_empty() => {
            let mut reader = raw;
            for (i, coding) in list.iter().enumerate() {
                let peek: &[u8] = if i == 0 { &first } else { &[] };
                // `codings` only lists known codings, so a decoder always exists.
                reader = match decoder(coding, reader, peek) {
                    Some(next) => next,
                    None => return Err(SendError::Internal(format!("no decoder for {coding}"))),
                };
            }
            (reader, encoding_header.clone())
        }
        _ => (raw, None),
    };
    let mut stopped = false;
    loop {
        let chunk = tokio::select! {
            biased;
            () = stop.cancelled() => None,
            read = reader.fill_buf() => Some(read.map_err(|e| map_read_err(e, decoded.as_deref()))?),
        };
        let Some(chunk) = chunk else {
            stopped = true;
            break;
        };
        let n = chunk.len();
        if n == 0 {
            break;
        }
        if let Some(max) = limits.max_bytes
            && (sink.size + n as u64 > max || wire.load(Ordering::Relaxed) > max)
        {
            return Err(too_large());
        }
        live.chunk(chunk);
        sink.write(chunk, limits.spill_dir).await?;
        reader.consume(n);
    }
    Ok(ReadBody { body: sink.finish().await?, wire_bytes: wire.load(Ordering::Relaxed), decoded, stopped })
}

/// A body without content coding: chunks straight from the connection, no copy for a body
/// that arrives in one chunk. Returns the body, its size and whether it was stopped.
async fn read_plain(
    mut resp: reqwest::Response,
    limits: &ReadLimits<'_>,
    site: &ErrorSite<'_>,
    live: &mut LiveBody,
) -> Result<(ResponseBody, u64, bool), SendError> {
    let mut sink = Sink::new(limits.spill_threshold_bytes);
    let mut single: Option<Bytes> = None;
    let stop = live.stop_token();
    let mut stopped = false;
    loop {
        let next = tokio::select! {
            biased;
            () = stop.cancelled() => None,
            read = resp.chunk() => Some(read.map_err(|e| classify(&e, site))?),
        };
        let Some(next) = next else {
            stopped = true;
            break;
        };
        let Some(chunk) = next else { break };
        if let Some(max) = limits.max_bytes
            && sink.size + single.as_ref().map_or(0, |b| b.len() as u64) + chunk.len() as u64 > max
        {
            return Err(SendError::BodyTooLarge {
                host: site.host(),
                limit_bytes: max,
                set_by: limits.max_set_by.clone(),
            });
        }
        live.chunk(&chunk);
        if sink.size == 0 && single.is_none() {
            single = Some(chunk);
            continue;
        }
        if let Some(first) = single.take() {
            sink.write(&first, limits.spill_dir).await?;
        }
        sink.write(&chunk, limits.spill_dir).await?;
    }
    match single {
        Some(only) if (only.len() as u64) <= limits.spill_threshold_bytes => {
            let len = only.len() as u64;
            Ok((ResponseBody::in_memory(only), len, stopped))
        }
        Some(only) => {
            sink.write(&only, limits.spill_dir).await?;
            let size = sink.size;
            Ok((sink.finish().await?, size, stopped))
        }
        None => {
            let size = sink.size;
            Ok((sink.finish().await?, size, stopped))
        }
    }
}
