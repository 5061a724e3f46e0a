//! One send: the hops of an exchange (cookies, auth and its challenges through
//! [`super::auth_flow`], redirects) and the final response read under the limits.

use std::sync::Arc;
use std::time::Instant;

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use time::OffsetDateTime;
use url::Url;

use super::Engine;
use super::auth_flow::{AuthState, Retry, drain, settle_connection};
use crate::http::body::{ReadBody, ReadLimits, read_body, wire_body};
use crate::http::client::ProxyRoute;
use crate::http::error::{ErrorSite, SendError, classify};
use crate::http::guard::SendGuard;
use crate::http::live::{LiveBody, LiveHead};
use crate::http::prepare::{PreparedBody, PreparedRequest, sent_request};
use crate::http::response::{Exchange, RedirectHop, Response, ResponseBody, Timing};
use crate::model::{Header, SentRequest, Settings, set_header};

/// Whose response size limit applies when it is the user's own.
const OWN_LIMIT: &str = "Settings → Largest response kept";

pub(super) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

pub(super) fn version_text(v: reqwest::Version) -> String {
    match v {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_11 => "HTTP/1.1",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP",
    }
    .to_owned()
}

pub(super) fn headers_of(map: &HeaderMap) -> Vec<Header> {
    map.iter().map(|(k, v)| Header::new(k.as_str(), String::from_utf8_lossy(v.as_bytes()))).collect()
}

/// The head a body listener hears.
fn live_head(status: u16, reason: &str, headers: &[Header]) -> LiveHead {
    LiveHead {
        status,
        reason: reason.to_owned(),
        headers: headers.iter().map(|h| (h.name.clone(), h.value.clone())).collect(),
        content_type: crate::model::find_header(headers, "content-type").map(str::to_owned),
    }
}

/// One send in progress.
pub(super) struct Transfer<'a> {
    pub(super) engine: &'a Engine,
    pub(super) settings: &'a Settings,
    pub(super) route: &'a Arc<ProxyRoute>,
    pub(super) guard: &'a dyn SendGuard,
    /// The same guard, shared with the clients' resolvers.
    pub(super) guard_arc: &'a Arc<dyn SendGuard>,
    pub(super) verify_tls: bool,
}

/// The request of one hop.
pub(super) struct Hop {
    pub(super) method: reqwest::Method,
    pub(super) url: Url,
    pub(super) headers: Vec<Header>,
    pub(super) body: PreparedBody,
}

impl Transfer<'_> {
    pub(super) fn site<'s>(&'s self, url: &'s Url) -> ErrorSite<'s> {
        ErrorSite {
            url,
            proxy: self.route.proxy_for(url),
            connect_timeout_ms: self.settings.connect_timeout_ms,
            total_timeout_ms: self.settings.request_timeout_ms,
        }
    }

    /// Asks the guard before a connection to `url`: its rules on the URL, and, when a proxy
    /// will resolve the name, on the addresses it resolves to here (see [`crate::http::resolve`]).
    pub(super) async fn check(&self, url: &Url) -> Result<(), SendError> {
        self.guard.check_url(url)?;
        if self.route.proxy_for(url).is_some()
            && let Some(host) = url.host_str()
        {
            crate::http::resolve::check_name(self.guard, host).await?;
        }
        Ok(())
    }

    pub(super) async fn run(
        &self,
        prepared: &PreparedRequest,
        live: &mut LiveBody,
    ) -> Result<Exchange, SendError> {
        let started = Instant::now();
        let started_at = OffsetDateTime::now_utc();
        let inner = &self.engine.inner;
        let ws = prepared.workspace;
        let mut timing = Timing::default();
        let mut hop = Hop {
            method: prepared.method.clone(),
            url: prepared.url.clone(),
            headers: prepared.headers.clone(),
            body: prepared.body.clone(),
        };
        let mut auth = self.start_auth(prepared, &hop, &mut timing).await?;
        let mut cookies_changed = false;
        let mut redirects: Vec<RedirectHop> = Vec::new();

        loop {
            self.check(&hop.url).await?;
            let site = self.site(&hop.url);
            let client =
                self.engine.client(self.settings, self.route, self.guard_arc, &hop.url, self.verify_tls)?;
            let headers = self.attempt_headers(prepared, &hop, &auth).await?;
            let (req, sent) = build_attempt(&client, &hop, headers, &site).await?;

            let hop_start = Instant::now();
            let resp = client.execute(req).await.map_err(|e| classify(&e, &site))?;
            let first_byte = hop_start.elapsed();
            let status = resp.status().as_u16();
            let resp_headers = headers_of(resp.headers());
            let set_cookie: Vec<&str> = resp
                .headers()
                .get_all(reqwest::header::SET_COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect();
            let cookies = inner.cookies.store(ws, &hop.url, &set_cookie);
            cookies_changed |= !cookies.is_empty();

            if let Some(retry) = self.answer_challenge(prepared, &hop, &mut auth, &resp).await? {
                if retry == Retry::AfterDraining {
                    drain(resp).await;
                    settle_connection().await;
                }
                continue;
            }
            if let Some(next) = self.redirect_target(prepared, &hop, &resp, redirects.len())? {
                redirects.push(RedirectHop {
                    request: sent,
                    status,
                    headers: resp_headers,
                    location: next.to_string(),
                    elapsed: hop_start.elapsed(),
                });
                drop(resp);
                hop.redirect(next, status, prepared, &mut auth);
                continue;
            }

            // The final response.
            let before_final = hop_start.duration_since(started);
            let version = version_text(resp.version());
            let remote_addr = resp.remote_addr();
            let reason = resp.status().canonical_reason().unwrap_or("").to_owned();
            let url = hop.url.to_string();
            live.head(&live_head(status, &reason, &resp_headers));
            let download_start = Instant::now();
            let read = if hop.method == reqwest::Method::HEAD {
                ReadBody { body: ResponseBody::empty(), wire_bytes: 0, decoded: None, stopped: false }
            } else {
                read_body(resp, &self.read_limits(), &site, live).await?
            };
            live.end();
            let ReadBody { body, wire_bytes: wire_size, decoded: encoding, stopped } = read;
            timing.download = download_start.elapsed();
            timing.first_byte = first_byte;
            timing.before_final = before_final;
            timing.total = started.elapsed();
            return Ok(Exchange {
                request_id: prepared.request_id,
                name: prepared.name.clone(),
                started_at,
                request: sent,
                response: Response {
                    status,
                    reason,
                    http_version: version,
                    remote_addr,
                    headers: resp_headers,
                    cookies,
                    body,
                    wire_size_bytes: wire_size,
                    content_encoding: encoding,
                    url,
                    stopped,
                },
                redirects,
                timing,
                cookies_changed,
                redactions: prepared.redactions.clone(),
            });
        }
    }

    /// Where a redirect goes, when it is followed: `None` for a final response.
    fn redirect_target(
        &self,
        prepared: &PreparedRequest,
        hop: &Hop,
        resp: &reqwest::Response,
        followed: usize,
    ) -> Result<Option<Url>, SendError> {
        let follow = prepared.settings.follow_redirects.unwrap_or(self.settings.follow_redirects);
        let max_redirects = prepared.settings.max_redirects.unwrap_or(self.settings.max_redirects);
        let location = resp.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok());
        let (true, true, Some(location)) =
            (follow, matches!(resp.status().as_u16(), 301 | 302 | 303 | 307 | 308), location)
        else {
            return Ok(None);
        };
        let next = hop.url.join(location).map_err(|e| SendError::InvalidUrl {
            url: location.to_owned(),
            reason: format!("the server redirected to an invalid address: {e}"),
        })?;
        if !matches!(next.scheme(), "http" | "https") {
            return Err(SendError::UnsupportedScheme {
                scheme: next.scheme().to_owned(),
                url: next.to_string(),
            });
        }
        if followed as u32 >= max_redirects {
            return Err(SendError::TooManyRedirects { max: max_redirects, url: next.to_string() });
        }
        Ok(Some(next))
    }

    /// The limits the final body is read under: the user's and the policy's, the smaller wins.
    fn read_limits(&self) -> ReadLimits<'_> {
        let inner = &self.engine.inner;
        let own = Some(self.settings.max_response_size_bytes).filter(|m| *m > 0);
        let (max_bytes, max_set_by) = match (own, self.guard.max_response_size_bytes()) {
            (Some(own), Some(policy)) if own < policy => (Some(own), OWN_LIMIT.to_owned()),
            (_, Some(policy)) => (Some(policy), self.guard.max_response_size_rule()),
            (own, None) => (own, OWN_LIMIT.to_owned()),
        };
        ReadLimits {
            max_bytes,
            max_set_by,
            spill_threshold_bytes: inner.options.spill_threshold_bytes,
            spill_dir: inner.options.spill_dir.as_deref(),
        }
    }
}

/// The request of one attempt, built with `headers` as they go on the wire, and what history
/// keeps of it. A multipart body's generated boundary goes into its Content-Type.
async fn build_attempt(
    client: &reqwest::Client,
    hop: &Hop,
    mut headers: Vec<Header>,
    site: &ErrorSite<'_>,
) -> Result<(reqwest::Request, SentRequest), SendError> {
    let wire = wire_body(&hop.body).await?;
    let is_multipart = wire.multipart.is_some();
    let mut builder = client.request(hop.method.clone(), hop.url.clone());
    if let Some(form) = wire.multipart {
        builder = builder.multipart(form);
    } else if let Some(body) = wire.body {
        builder = builder.body(body);
    }
    let mut req = builder.build().map_err(|e| classify(&e, site))?;
    if is_multipart {
        let generated =
            req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let boundary = generated.split("boundary=").nth(1).unwrap_or("").to_owned();
        let media = crate::model::find_header(&headers, "content-type")
            .map(|ct| ct.split(';').next().unwrap_or("").trim().to_owned())
            .filter(|m| m.to_ascii_lowercase().starts_with("multipart/"))
            .unwrap_or_else(|| "multipart/form-data".to_owned());
        set_header(&mut headers, "Content-Type", format!("{media}; boundary={boundary}"));
        if let Some(len) = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()) {
            set_header(&mut headers, "Content-Length", len.to_owned());
        }
    } else if let Some(len) = wire.length
        && crate::model::find_header(&headers, "content-length").is_none()
    {
        headers.push(Header::new("Content-Length", len.to_string()));
    } else if matches!(hop.body, PreparedBody::None)
        && !["GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT"].contains(&hop.method.as_str())
        && crate::model::find_header(&headers, "content-length").is_none()
    {
        // A POST, PUT... with no body says so (as Postman, curl and browsers do; some
        // servers answer 411 Length Required otherwise).
        headers.push(Header::new("Content-Length", "0"));
    }
    let mut map = HeaderMap::with_capacity(headers.len());
    for h in &headers {
        let (Ok(name), Ok(value)) =
            (HeaderName::from_bytes(h.name.as_bytes()), HeaderValue::from_bytes(h.value.as_bytes()))
        else {
            return Err(SendError::InvalidHeader {
                name: h.name.clone(),
                reason: "not a valid header".into(),
            });
        };
        map.append(name, value);
    }
    *req.headers_mut() = map;
    let mut sent = sent_request(&hop.method, &hop.url, &headers, &hop.body);
    if is_multipart {
        sent.body_size_bytes =
            crate::model::find_header(&headers, "content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
    } else if let (PreparedBody::File(_), Some(len)) = (&hop.body, wire.length) {
        sent.body_size_bytes = len;
    }
    Ok((req, sent))
}

impl Hop {
    /// The next hop after a redirect to `next`: a 303 (and a 301 or 302 after a POST, unless
    /// the request keeps its method) becomes a GET without body; leaving the origin drops the
    /// credentials; the next request names the one redirected from, as Postman does (not from
    /// an https page to an http one, as browsers).
    fn redirect(&mut self, next: Url, status: u16, prepared: &PreparedRequest, auth: &mut AuthState) {
        let keep_method = prepared.settings.follow_original_method.unwrap_or(false);
        let to_get = status == 303 && self.method != reqwest::Method::HEAD
            || matches!(status, 301 | 302) && self.method == reqwest::Method::POST && !keep_method;
        if to_get {
            self.method = reqwest::Method::GET;
            self.body = PreparedBody::None;
            self.headers.retain(|h| {
                !["content-type", "content-length", "content-encoding"]
                    .iter()
                    .any(|n| h.name.eq_ignore_ascii_case(n))
            });
        }
        let same_origin = same_origin(&self.url, &next);
        if !same_origin {
            self.headers.retain(|h| {
                !h.name.eq_ignore_ascii_case("authorization")
                    && !h.name.eq_ignore_ascii_case("cookie")
                    && !prepared.redactions.header_names.contains(&h.name.to_ascii_lowercase())
            });
        }
        if !(self.url.scheme() == "https" && next.scheme() == "http") {
            let mut referer = self.url.clone();
            referer.set_fragment(None);
            let _ = referer.set_username("");
            let _ = referer.set_password(None);
            set_header(&mut self.headers, "Referer", referer.to_string());
        }
        self.url = next;
        auth.redirected(same_origin, prepared);
    }
}
