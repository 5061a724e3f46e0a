//! One send: the hops of an exchange (cookies, auth and its challenges, redirects) and the final
//! response read under the limits.

use std::sync::Arc;
use std::time::Instant;

use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use time::OffsetDateTime;
use url::Url;

use super::Engine;
use crate::http::auth::{digest, ntlm, oauth2, sigv4};
use crate::http::body::{ReadBody, ReadLimits, read_body, wire_body};
use crate::http::client::ProxyRoute;
use crate::http::error::{ErrorSite, SendError, classify};
use crate::http::guard::SendGuard;
use crate::http::live::{LiveBody, LiveHead};
use crate::http::prepare::{PendingAuth, PreparedBody, PreparedRequest, sent_request};
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

/// Where an NTLM handshake is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum NtlmStep {
    /// The request went without credentials.
    Plain,
    /// The negotiate message (type 1) went.
    Negotiated,
    /// The authenticate message (type 3) went: the next response is the answer.
    Authenticated,
}

/// Reads and drops a refused response's body (up to 1 MiB), so that its connection goes back to
/// the pool for the next message of a handshake; a longer body closes the connection instead.
pub(super) async fn drain(mut resp: reqwest::Response) {
    let mut read = 0usize;
    while let Ok(Some(chunk)) = resp.chunk().await {
        read += chunk.len();
        if read > 1 << 20 {
            break;
        }
    }
}

/// Gives a connection whose response was just read the moment it takes to go back to the pool:
/// hyper returns it from a task of its own, and a request sent at once could take another
/// connection (NTLM's authenticate must go on the connection its challenge came on).
async fn settle_connection() {
    for _ in 0..4 {
        tokio::task::yield_now().await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
}

/// Signs one attempt with Akamai EdgeGrid: the hop's URL, its headers as the user wrote them (no
/// cookies from the jar) and, for a POST, the start of its body, as Postman signs.
pub(super) async fn sign_edgegrid(
    eg: &crate::model::EdgeGridAuth,
    hop: &Hop,
    headers: &mut Vec<Header>,
) -> Result<(), SendError> {
    use crate::http::auth::edgegrid;
    let max = edgegrid::max_body(eg);
    let body = if hop.method == reqwest::Method::POST {
        crate::http::body::body_head(&hop.body, max).await?
    } else {
        None
    };
    let pairs: Vec<(String, String)> =
        hop.headers.iter().map(|h| (h.name.clone(), h.value.clone())).collect();
    let nonce = if eg.nonce.is_empty() { uuid::Uuid::new_v4().to_string() } else { eg.nonce.clone() };
    let timestamp = if eg.timestamp.is_empty() {
        edgegrid::timestamp(std::time::SystemTime::now())
    } else {
        eg.timestamp.clone()
    };
    let signed = edgegrid::Signed {
        method: hop.method.as_str(),
        url: &hop.url,
        headers: &pairs,
        body: body.as_deref(),
        timestamp: &timestamp,
        nonce: &nonce,
    };
    headers.retain(|h| !h.name.eq_ignore_ascii_case("authorization"));
    if let Some(value) = edgegrid::authorization(eg, &signed) {
        headers.push(Header::new("Authorization", value));
    }
    Ok(())
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
    method: reqwest::Method,
    url: Url,
    headers: Vec<Header>,
    body: PreparedBody,
}

impl Transfer<'_> {
    fn site<'s>(&'s self, url: &'s Url) -> ErrorSite<'s> {
        ErrorSite {
            url,
            proxy: self.route.proxy_for(url),
            connect_timeout_ms: self.settings.connect_timeout_ms,
            total_timeout_ms: self.settings.request_timeout_ms,
        }
    }

    /// Asks the guard before a connection to `url`: its rules on the URL, and, when a proxy
    /// will resolve the name, on the addresses it resolves to here (see [`crate::http::resolve`]).
    async fn check(&self, url: &Url) -> Result<(), SendError> {
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

    /// Authentication before the first hop: an OAuth 2.0 token (cached or fetched) or the
    /// answer to a Digest challenge the user pinned.
    async fn start_auth(
        &self,
        prepared: &PreparedRequest,
        hop: &Hop,
        timing: &mut Timing,
    ) -> Result<AuthState, SendError> {
        let mut auth = AuthState {
            header: None,
            active: true,
            digest_tried: false,
            ntlm_step: NtlmStep::Plain,
            oauth_cached: false,
            oauth_retried: false,
        };
        if let PendingAuth::OAuth2(cfg) = &prepared.auth {
            let t = Instant::now();
            let (header, cached) = self.oauth_header(cfg, prepared, false).await?;
            timing.auth = t.elapsed();
            auth.header = Some(header);
            auth.oauth_cached = cached;
        }
        if let PendingAuth::Digest(creds) = &prepared.auth
            && let Some(challenge) = digest::pinned_challenge(creds)
        {
            auth.header = Some(self.digest_answer(&challenge, creds, hop)?);
        }
        Ok(auth)
    }

    /// The headers of one attempt: the hop's, the jar's cookies, and its authentication.
    async fn attempt_headers(
        &self,
        prepared: &PreparedRequest,
        hop: &Hop,
        auth: &AuthState,
    ) -> Result<Vec<Header>, SendError> {
        let mut headers = hop.headers.clone();
        if let Some(jar_cookies) = self.engine.inner.cookies.header_for(prepared.workspace, &hop.url) {
            match headers.iter_mut().find(|h| h.name.eq_ignore_ascii_case("cookie")) {
                Some(h) if !h.value.is_empty() => h.value = format!("{}; {jar_cookies}", h.value),
                Some(h) => h.value = jar_cookies,
                None => headers.push(Header::new("Cookie", jar_cookies)),
            }
        }
        if auth.active {
            if let Some(value) = &auth.header {
                set_header(&mut headers, "Authorization", value.clone());
            }
            if let PendingAuth::AwsSigV4(aws) = &prepared.auth {
                self.sign_aws(aws, hop, &mut headers, &prepared.source.headers).await?;
            }
            if let PendingAuth::EdgeGrid(eg) = &prepared.auth {
                sign_edgegrid(eg, hop, &mut headers).await?;
            }
        }
        Ok(headers)
    }

    /// Whether a response is a challenge this send answers by trying again: Digest once per
    /// hop, NTLM's negotiate then authenticate on the same connection, an OAuth 2.0 cached
    /// token the server refuses fetched anew once.
    async fn answer_challenge(
        &self,
        prepared: &PreparedRequest,
        hop: &Hop,
        auth: &mut AuthState,
        resp: &reqwest::Response,
    ) -> Result<Option<Retry>, SendError> {
        let status = resp.status().as_u16();
        if !auth.active {
            return Ok(None);
        }
        let challenges = || -> Vec<String> {
            resp.headers()
                .get_all(reqwest::header::WWW_AUTHENTICATE)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_owned))
                .collect()
        };
        match &prepared.auth {
            PendingAuth::Digest(creds) if status == 401 && !auth.digest_tried => {
                let values = challenges();
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                let offered = digest::digest_challenges(&values);
                if let Some(challenge) = digest::choose(&offered, &creds.algorithm) {
                    auth.header = Some(self.digest_answer(challenge, creds, hop)?);
                    auth.digest_tried = true;
                    return Ok(Some(Retry::Now));
                }
            }
            PendingAuth::Ntlm(cfg) if matches!(status, 401 | 403) && !cfg.disable_retry => {
                if let Some((header, step)) = ntlm_next(cfg, auth.ntlm_step, &challenges(), hop, status)? {
                    auth.header = Some(header);
                    auth.ntlm_step = step;
                    // The refused response's body is read so the connection is kept.
                    return Ok(Some(Retry::AfterDraining));
                }
            }
            PendingAuth::OAuth2(cfg) if status == 401 && auth.oauth_cached && !auth.oauth_retried => {
                auth.oauth_retried = true;
                self.engine.inner.tokens.remove(&oauth2::cache_key(prepared.environment, cfg));
                let (header, _) = self.oauth_header(cfg, prepared, true).await?;
                auth.header = Some(header);
                return Ok(Some(Retry::Now));
            }
            _ => {}
        }
        Ok(None)
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

    fn digest_answer(
        &self,
        challenge: &digest::Challenge,
        creds: &crate::model::DigestAuth,
        hop: &Hop,
    ) -> Result<String, SendError> {
        let mut uri = hop.url.path().to_owned();
        if let Some(q) = hop.url.query() {
            uri.push('?');
            uri.push_str(q);
        }
        let body = match &hop.body {
            PreparedBody::Bytes(b) => Some(&b[..]),
            PreparedBody::None => Some(&[][..]),
            _ => None,
        };
        let cnonce =
            if creds.client_nonce.is_empty() { digest::new_cnonce() } else { creds.client_nonce.clone() };
        let nc = u32::from_str_radix(creds.nonce_count.trim(), 16).unwrap_or(1).max(1);
        digest::authorization(challenge, creds, hop.method.as_str(), &uri, body, &cnonce, nc)
            .map_err(|e| SendError::InvalidField { field: "digest auth".into(), reason: e.to_string() })
    }

    /// Signs with AWS Signature v4 as Postman does: the headers the user wrote, `host` and the
    /// `X-Amz-*` ones; not those Localpost adds (`Accept`, a default `Content-Type`...), which
    /// Postman adds after signing.
    async fn sign_aws(
        &self,
        aws: &crate::model::AwsSigV4Auth,
        hop: &Hop,
        headers: &mut Vec<Header>,
        written: &[crate::model::KeyValue],
    ) -> Result<(), SendError> {
        let payload = match crate::http::body::body_sha256(&hop.body).await? {
            Some(hash) => hash,
            None => sigv4::UNSIGNED_PAYLOAD.to_owned(),
        };
        let date = sigv4::amz_date(OffsetDateTime::now_utc());
        set_header(headers, "X-Amz-Date", date.clone());
        if !aws.session_token.is_empty() {
            set_header(headers, "X-Amz-Security-Token", aws.session_token.clone());
        }
        // The body's hash goes in a header when there is a body (as Postman), and always for S3.
        let has_body = !matches!(hop.body, PreparedBody::None);
        if has_body || aws.service.eq_ignore_ascii_case("s3") {
            set_header(headers, "X-Amz-Content-Sha256", payload.clone());
        }
        let by_user =
            |name: &str| written.iter().any(|kv| kv.enabled && kv.key.trim().eq_ignore_ascii_case(name));
        let pairs: Vec<(String, String)> = headers
            .iter()
            .filter(|h| h.name.to_ascii_lowercase().starts_with("x-amz-") || by_user(&h.name))
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect();
        let creds = sigv4::Credentials {
            access_key: &aws.access_key,
            secret_key: &aws.secret_key,
            region: &aws.region,
            service: &aws.service,
        };
        let signature = sigv4::sign(&creds, hop.method.as_str(), &hop.url, &pairs, &payload, &date);
        set_header(headers, "Authorization", signature.authorization);
        Ok(())
    }

    /// `Authorization` for an OAuth 2.0 request, and whether it came from the cache.
    async fn oauth_header(
        &self,
        cfg: &crate::model::OAuth2Auth,
        prepared: &PreparedRequest,
        force_new: bool,
    ) -> Result<(String, bool), SendError> {
        let prefix = if cfg.header_prefix.is_empty() { "Bearer" } else { cfg.header_prefix.as_str() };
        let key = oauth2::cache_key(prepared.environment, cfg);
        let tokens = &self.engine.inner.tokens;
        let now = Instant::now();
        let cached = if force_new { None } else { tokens.get(&key) };
        if let Some(token) = &cached
            && token.is_fresh(now)
        {
            return Ok((format!("{prefix} {}", token.access_token), true));
        }
        let refreshed = match cached.and_then(|t| t.refresh_token) {
            Some(refresh) => self.fetch_token(cfg, Some(&refresh)).await.ok(),
            None => None,
        };
        let token = match refreshed {
            Some(t) => t,
            None => self.fetch_token(cfg, None).await?,
        };
        let header = format!("{prefix} {}", token.access_token);
        tokens.put(key, token);
        Ok((header, false))
    }

    async fn fetch_token(
        &self,
        cfg: &crate::model::OAuth2Auth,
        refresh: Option<&str>,
    ) -> Result<oauth2::Token, SendError> {
        let url_text = cfg.access_token_url.trim();
        let fail = |detail: String| SendError::OAuth { url: url_text.to_owned(), detail };
        let url = crate::http::url_build::build(url_text, &[], &[])?;
        self.check(&url).await?;
        let site = self.site(&url);
        let client = self.engine.client(self.settings, self.route, self.guard_arc, &url, self.verify_tls)?;
        let (form, basic) = oauth2::token_request(cfg, refresh);
        let body = {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for (k, v) in &form {
                ser.append_pair(k, v);
            }
            ser.finish()
        };
        let mut req = client
            .post(url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, crate::http::added::USER_AGENT)
            .body(body);
        if let Some(basic) = basic {
            req = req.header(reqwest::header::AUTHORIZATION, basic);
        }
        let resp = req.send().await.map_err(|e| fail(classify(&e, &site).to_string()))?;
        let status = resp.status().as_u16();
        let limits = ReadLimits {
            max_bytes: Some(1024 * 1024),
            max_set_by: "token responses are at most 1 MiB".into(),
            spill_threshold_bytes: 1024 * 1024,
            spill_dir: None,
        };
        let read =
            read_body(resp, &limits, &site, &mut LiveBody::none()).await.map_err(|e| fail(e.to_string()))?;
        let bytes = read.body.bytes().cloned().unwrap_or_default();
        oauth2::parse_token_response(status, &bytes, Instant::now()).map_err(|e| fail(e.to_string()))
    }
}

/// Where a send's authentication is, across its hops.
struct AuthState {
    /// The `Authorization` value to send (an OAuth 2.0 token, a Digest answer, an NTLM message).
    header: Option<String>,
    /// False once a redirect leaves the origin: credentials stay with the origin they were
    /// meant for (as curl and browsers).
    active: bool,
    digest_tried: bool,
    ntlm_step: NtlmStep,
    oauth_cached: bool,
    oauth_retried: bool,
}

/// How a challenge is answered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Retry {
    Now,
    /// After reading the refused response's body, so its connection is used again.
    AfterDraining,
}

/// NTLM's next message, when the server asks: negotiate, then authenticate.
fn ntlm_next(
    cfg: &crate::model::NtlmAuth,
    step: NtlmStep,
    values: &[String],
    hop: &Hop,
    status: u16,
) -> Result<Option<(String, NtlmStep)>, SendError> {
    let id = ntlm::Identity::of(cfg);
    Ok(match step {
        NtlmStep::Plain if ntlm::offers_ntlm(&values.iter().map(String::as_str).collect::<Vec<_>>()) => {
            Some((ntlm::negotiate(&id), NtlmStep::Negotiated))
        }
        NtlmStep::Negotiated => {
            let challenge =
                values.iter().find(|v| v.starts_with("NTLM ")).ok_or_else(|| SendError::InvalidField {
                    field: "NTLM auth".into(),
                    reason: format!(
                        "{} answered the negotiate message without an NTLM challenge (HTTP {status})",
                        hop.url.host_str().unwrap_or("the server")
                    ),
                })?;
            let challenge = ntlm::parse_challenge(challenge)
                .map_err(|e| SendError::InvalidField { field: "NTLM auth".into(), reason: e.to_string() })?;
            let mut client = [0u8; 8];
            client.copy_from_slice(&uuid::Uuid::new_v4().as_bytes()[..8]);
            let now_ms = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
            Some((ntlm::authenticate(&id, &challenge, client, now_ms), NtlmStep::Authenticated))
        }
        _ => None,
    })
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
        if !same_origin(&self.url, &next) {
            auth.active = false;
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
        auth.digest_tried = false;
        if matches!(prepared.auth, PendingAuth::Ntlm(_)) {
            auth.ntlm_step = NtlmStep::Plain;
            auth.header = None;
        }
    }
}
