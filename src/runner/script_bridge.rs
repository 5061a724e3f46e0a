//! Between the model, the engine and the sandbox: what a script sees of a request, a response
//! and the variables; a script's changes applied back; `pm.sendRequest` through the engine.

use crate::http::{self, Engine, Exchange, PreparedRequest, SendError};
use crate::model::{Body, BodyMode, FormPart, FormPartKind, KeyValue as ModelKv, Method, Request, RequestId};
use crate::vars::{ScopeKind, Scopes};

use crate::script::{
    BodyView, ChangedRequest, CookieView, KeyValue, Outbound, OutboundError, RequestView, ResponseView,
    ScriptVars, SendBody, SendSpec, VarOp, VarScope,
};

fn kv(list: &[ModelKv]) -> Vec<KeyValue> {
    list.iter()
        .map(|h| KeyValue { key: h.key.clone(), value: h.value.clone(), disabled: !h.enabled })
        .collect()
}

/// Script key-value pairs as the model's (headers, form fields).
fn to_model(list: &[KeyValue]) -> Vec<ModelKv> {
    list.iter()
        .map(|h| ModelKv {
            key: h.key.clone(),
            value: h.value.clone(),
            enabled: !h.disabled,
            description: String::new(),
        })
        .collect()
}

/// `pm.request` in a pre-request script: the request as written (templates unresolved).
pub fn request_view(request: &Request) -> RequestView {
    let b = &request.body;
    let body = match b.mode {
        BodyMode::None => None,
        BodyMode::Raw => {
            Some(BodyView { mode: "raw".into(), raw: Some(b.raw.clone()), ..BodyView::default() })
        }
        BodyMode::UrlEncoded => {
            Some(BodyView { mode: "urlencoded".into(), urlencoded: kv(&b.urlencoded), ..BodyView::default() })
        }
        BodyMode::Multipart => Some(BodyView {
            mode: "formdata".into(),
            formdata: b
                .multipart
                .iter()
                .map(|p| KeyValue {
                    key: p.key.clone(),
                    value: match &p.kind {
                        FormPartKind::Text(t) | FormPartKind::File(t) => t.clone(),
                    },
                    disabled: !p.enabled,
                })
                .collect(),
            ..BodyView::default()
        }),
        BodyMode::Binary => Some(BodyView { mode: "file".into(), ..BodyView::default() }),
        BodyMode::GraphQl => Some(BodyView { mode: "graphql".into(), ..BodyView::default() }),
    };
    RequestView {
        id: request.id.0.to_string(),
        name: request.name.clone(),
        method: request.method.as_str().to_owned(),
        url: request.url.clone(),
        headers: kv(&request.headers),
        body,
    }
}

/// `pm.request` in a test script: the request as it was sent.
pub fn sent_view(prepared: &PreparedRequest, exchange: Option<&Exchange>) -> RequestView {
    let (method, url, headers) = match exchange {
        Some(x) => (
            x.request.method.clone(),
            x.request.url.clone(),
            x.request
                .headers
                .iter()
                .map(|h| KeyValue { key: h.name.clone(), value: h.value.clone(), disabled: false })
                .collect(),
        ),
        None => (
            prepared.method.as_str().to_owned(),
            prepared.url.to_string(),
            prepared
                .headers
                .iter()
                .map(|h| KeyValue { key: h.name.clone(), value: h.value.clone(), disabled: false })
                .collect(),
        ),
    };
    let body = match &prepared.body {
        http::PreparedBody::Bytes(bytes) => Some(BodyView {
            mode: "raw".into(),
            raw: Some(String::from_utf8_lossy(bytes).into_owned()),
            ..BodyView::default()
        }),
        _ => None,
    };
    RequestView {
        id: prepared.request_id.map(|id| id.0.to_string()).unwrap_or_default(),
        name: prepared.name.clone(),
        method,
        url,
        headers,
        body,
    }
}

/// `pm.response` for a request that got no response (`pm.test`s on it fail, as under newman).
pub fn no_response() -> ResponseView {
    ResponseView::default()
}

/// `pm.response` with `pm.cookies` from the jar: the cookies it holds for the URL that answered.
pub fn response_view_with_jar(
    exchange: &Exchange,
    engine: &Engine,
    ws: Option<crate::model::WorkspaceId>,
) -> ResponseView {
    let mut view = response_view(exchange);
    if let Ok(url) = url::Url::parse(&exchange.response.url) {
        view.cookies = engine
            .cookies_for(ws, &url)
            .into_iter()
            .map(|(name, value)| CookieView { name, value })
            .collect();
    }
    view
}

/// `pm.response`. A body kept on disk (a large one) is read here: call it where blocking is
/// allowed.
pub fn response_view(exchange: &Exchange) -> ResponseView {
    let r = &exchange.response;
    let body = match r.body.bytes() {
        Some(b) => String::from_utf8_lossy(b).into_owned(),
        None => r.body.read_all().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default(),
    };
    ResponseView {
        code: r.status,
        status: r.reason.clone(),
        headers: r
            .headers
            .iter()
            .map(|h| KeyValue { key: h.name.clone(), value: h.value.clone(), disabled: false })
            .collect(),
        response_time_ms: u64::try_from(exchange.timing.total.as_millis()).unwrap_or(u64::MAX),
        response_size_bytes: r.size_bytes(),
        cookies: r
            .cookies
            .iter()
            .map(|c| CookieView { name: c.name.clone(), value: c.value.clone() })
            .collect(),
        body,
    }
}

/// The variables of `scopes`, by the scope a script names.
pub fn vars_of(scopes: &Scopes) -> ScriptVars {
    ScriptVars {
        globals: scopes.values_of(&[ScopeKind::Globals]),
        environment: scopes.values_of(&[ScopeKind::Environment]),
        collection: scopes.values_of(&[ScopeKind::Folder, ScopeKind::Collection]),
        local: scopes.values_of(&[ScopeKind::Runtime]),
        data: scopes.values_of(&[ScopeKind::DataRow]),
    }
}

/// The scope kind a script's write lands in.
pub fn scope_kind(scope: VarScope) -> ScopeKind {
    match scope {
        VarScope::Globals => ScopeKind::Globals,
        VarScope::Environment => ScopeKind::Environment,
        VarScope::Collection => ScopeKind::Collection,
        VarScope::Local => ScopeKind::Runtime,
    }
}

/// Applies a script's write to the scopes the request resolves against.
pub fn apply_to_scopes(op: &VarOp, scopes: &mut Scopes) {
    let kind = scope_kind(op.scope());
    match op {
        VarOp::Set { key, value, .. } => scopes.set(kind, key.clone(), value.clone()),
        VarOp::Unset { key, .. } => {
            scopes.unset(kind, key);
            if kind == ScopeKind::Collection {
                scopes.unset(ScopeKind::Folder, key);
            }
        }
        VarOp::Clear { .. } => {
            scopes.clear(kind);
            if kind == ScopeKind::Collection {
                scopes.clear(ScopeKind::Folder);
            }
        }
    }
}

/// The request as a pre-request script left it.
pub fn apply_change(request: &Request, changed: &ChangedRequest) -> Request {
    let mut r = request.clone();
    r.method = Method::parse(&changed.method);
    if r.url != changed.url {
        // The URL carries the whole query now.
        r.params.clear();
        r.url.clone_from(&changed.url);
    }
    r.headers = to_model(&changed.headers);
    if let Some(body) = &changed.body
        && body.mode == "raw"
    {
        let language = if r.body.mode == BodyMode::Raw { r.body.raw_language } else { Default::default() };
        r.body = Body::raw(language, body.raw.clone().unwrap_or_default());
    }
    r
}

/// `pm.sendRequest` through the engine: under its policy guard, its settings and its cookie
/// jar (none: the request belongs to no workspace).
pub struct EngineOutbound {
    pub engine: Engine,
}

impl Outbound for EngineOutbound {
    fn send(&self, spec: &SendSpec) -> Result<ResponseView, OutboundError> {
        let mut request = Request::new("pm.sendRequest");
        request.id = RequestId::new();
        request.method = Method::parse(&spec.method);
        request.url.clone_from(&spec.url);
        request.headers = to_model(&spec.header);
        request.body = match &spec.body {
            None => Body::default(),
            Some(SendBody::Raw { raw }) => Body::raw(Default::default(), raw.clone()),
            Some(SendBody::Urlencoded { urlencoded }) => {
                Body { mode: BodyMode::UrlEncoded, urlencoded: to_model(urlencoded), ..Body::default() }
            }
            Some(SendBody::Formdata { formdata }) => Body {
                mode: BodyMode::Multipart,
                multipart: formdata
                    .iter()
                    .map(|f| FormPart {
                        key: f.key.clone(),
                        kind: FormPartKind::Text(f.value.clone()),
                        ..FormPart::default()
                    })
                    .collect(),
                ..Body::default()
            },
        };
        let failed = |e: SendError| OutboundError::Send(Box::new(e));
        let prepared = http::prepare_in(&request, None, &[], &Scopes::new()).map_err(failed)?;
        let exchange = self.engine.runtime().block_on(self.engine.execute(&prepared)).map_err(failed)?;
        Ok(response_view(&exchange))
    }
}
