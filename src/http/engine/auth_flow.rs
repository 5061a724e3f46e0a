//! A send's authentication across its hops: what goes before the first (an OAuth 2.0 token, a
//! pinned Digest answer), what each attempt carries (cookies, signatures), and the challenges a
//! send answers by trying again (Digest, NTLM's handshake, a refused cached token).

use std::time::Instant;

use reqwest::header::CONTENT_TYPE;
use time::OffsetDateTime;

use super::transfer::{Hop, Transfer};
use crate::http::auth::{digest, ntlm, oauth2, sigv4};
use crate::http::body::{ReadLimits, read_body};
use crate::http::error::{SendError, classify};
use crate::http::live::LiveBody;
use crate::http::prepare::{PendingAuth, PreparedBody, PreparedRequest};
use crate::http::response::Timing;
use crate::model::{Header, set_header};

/// Where an NTLM handshake is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NtlmStep {
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
pub(super) async fn settle_connection() {
    for _ in 0..4 {
        tokio::task::yield_now().await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
}

/// Signs one attempt with Akamai EdgeGrid: the hop's URL, its headers as the user wrote them (no
/// cookies from the jar) and, for a POST, the start of its body, as Postman signs.
async fn sign_edgegrid(
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

impl Transfer<'_> {
    /// Authentication before the first hop: an OAuth 2.0 token (cached or fetched) or the
    /// answer to a Digest challenge the user pinned.
    pub(super) async fn start_auth(
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
    pub(super) async fn attempt_headers(
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
    pub(super) async fn answer_challenge(
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
pub(super) struct AuthState {
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

impl AuthState {
    /// A redirect to a hop on the same origin or not: credentials stay with the origin they were
    /// meant for, and the new hop's challenges are answered anew.
    pub(super) fn redirected(&mut self, same_origin: bool, prepared: &PreparedRequest) {
        if !same_origin {
            self.active = false;
        }
        self.digest_tried = false;
        if matches!(prepared.auth, PendingAuth::Ntlm(_)) {
            self.ntlm_step = NtlmStep::Plain;
            self.header = None;
        }
    }
}

/// How a challenge is answered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Retry {
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
