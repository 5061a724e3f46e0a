//! The Code panel of a request tab (Postman's `</>`): the open request, unsaved edits included,
//! as a snippet in the language picked, with `{{variables}}` resolved as a send resolves them
//! (active environment, folders, collection, globals; secrets too) or kept as written.
//!
//! The snippet is made again only when the draft, the variables (any command moves
//! [`super::state::AppState::revision`]), the language or the switch changed. A request with a
//! large body is written on a background thread; the previous snippet stays shown meanwhile.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::interop::export::snippet::{Language, snippet};
use crate::model::{Auth, EnvironmentId, ParentId, Request, WorkspaceData};
use crate::vars::Scopes;

use super::job::{self, Job};
use super::state::{RequestTab, TabId};

/// Bodies up to this size are written on the UI thread (well under a millisecond).
const WRITE_HERE_MAX_BYTES: usize = 256 * 1024;

/// What the Code panel remembers across restarts (in the session).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CodePrefs {
    pub open: bool,
    /// [`Language::id`]; a name this version does not know falls back to cURL.
    pub language: String,
    pub resolve: bool,
}

impl Default for CodePrefs {
    fn default() -> Self {
        Self { open: false, language: Language::Curl.id().to_owned(), resolve: false }
    }
}

/// What the user asks of the Code panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCommand {
    /// The `</>` button: shows or hides the panel.
    Toggle,
    Language(Language),
    /// The "Resolve variables" switch.
    Resolve(bool),
    /// Copies the snippet shown.
    Copy,
}

/// A snippet as the panel shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SnippetView {
    pub text: Arc<str>,
    /// What the language cannot express (auth it has no support for, headers it sets itself).
    pub warnings: Vec<String>,
    /// Variables no scope defines, left as written (resolving only).
    pub missing: Vec<String>,
    /// Whether secret values went into the text (resolving only).
    pub has_secrets: bool,
}

/// The request a snippet is written from: inherited auth and settings made its own, and the
/// scopes to resolve it with when resolving.
#[derive(Clone)]
pub struct SnippetInput {
    pub request: Request,
    pub scopes: Option<Scopes>,
}

#[derive(Clone, PartialEq, Eq)]
struct Key {
    tab: TabId,
    revision: u64,
    language: Language,
    resolve: bool,
}

struct Cached {
    key: Key,
    draft: Request,
    view: SnippetView,
}

/// The panel's choices and the snippet last written.
#[derive(Default)]
pub struct CodePanel {
    pub open: bool,
    pub language: Language,
    pub resolve: bool,
    cached: Option<Cached>,
    pending: Option<(Key, Request, Job<SnippetView>)>,
}

impl CodePanel {
    pub fn prefs(&self) -> CodePrefs {
        CodePrefs { open: self.open, language: self.language.id().to_owned(), resolve: self.resolve }
    }

    pub fn restore(&mut self, prefs: &CodePrefs) {
        self.open = prefs.open;
        self.language = Language::from_id(&prefs.language).unwrap_or_default();
        self.resolve = prefs.resolve;
    }

    /// The snippet of request tab `tab`, written again if anything it depends on changed; `None`
    /// until the first one is written (a large request, on a background thread).
    pub fn view(
        &mut self,
        ctx: &egui::Context,
        tab: TabId,
        r: &RequestTab,
        ws: &WorkspaceData,
        environment: Option<EnvironmentId>,
        revision: u64,
    ) -> Option<&SnippetView> {
        let key = Key { tab, revision, language: self.language, resolve: self.resolve };
        self.poll();
        let fresh = |k: &Key, draft: &Request| *k == key && *draft == r.draft;
        let up_to_date = self.cached.as_ref().is_some_and(|c| fresh(&c.key, &c.draft));
        let in_flight = self.pending.as_ref().is_some_and(|(k, d, _)| fresh(k, d));
        if !up_to_date && !in_flight {
            let input = snippet_input(ws, environment, r, self.resolve);
            let language = self.language;
            if body_size_bytes(&r.draft) <= WRITE_HERE_MAX_BYTES {
                let view = write_snippet(language, &input);
                self.cached = Some(Cached { key, draft: r.draft.clone(), view });
                self.pending = None;
            } else {
                let work =
                    job::spawn(ctx, "writing the code snippet", move || write_snippet(language, &input));
                self.pending = Some((key, r.draft.clone(), work));
            }
        }
        // The snippet of another tab is not shown for this one while this one's is written.
        self.cached.as_ref().filter(|c| c.key.tab == tab).map(|c| &c.view)
    }

    /// Whether a snippet is being written in the background.
    pub fn writing(&self) -> bool {
        self.pending.is_some()
    }

    /// The text last written, for Copy.
    pub fn text(&self) -> Option<Arc<str>> {
        self.cached.as_ref().map(|c| c.view.text.clone())
    }

    fn poll(&mut self) {
        let Some((key, draft, work)) = self.pending.take() else { return };
        match work.try_take() {
            Ok(Ok(view)) => self.cached = Some(Cached { key, draft, view }),
            Ok(Err(e)) => {
                let view = SnippetView { text: Arc::from(""), warnings: vec![e], ..SnippetView::default() };
                self.cached = Some(Cached { key, draft, view });
            }
            Err(work) => self.pending = Some((key, draft, work)),
        }
    }
}

impl super::App {
    pub(super) fn code_command(&mut self, ctx: &egui::Context, command: CodeCommand) {
        let code = &mut self.state.code;
        match command {
            CodeCommand::Toggle => code.open = !code.open,
            CodeCommand::Language(language) => code.language = language,
            CodeCommand::Resolve(resolve) => code.resolve = resolve,
            CodeCommand::Copy => match code.text() {
                Some(text) => {
                    ctx.copy_text(text.to_string());
                    let label = code.language.label();
                    self.state.notify(format!("Copied the {label} snippet."));
                }
                None => self.state.notify("The snippet is still being written; copy it in a moment."),
            },
        }
    }
}

/// The size of what a request's body holds as text.
fn body_size_bytes(r: &Request) -> usize {
    let b = &r.body;
    b.raw.len()
        + b.graphql.query.len()
        + b.graphql.variables.len()
        + b.urlencoded.iter().map(|kv| kv.key.len() + kv.value.len()).sum::<usize>()
}

/// What the snippet of tab `r` is written from: its auth and settings with what its folders and
/// collection give it (as a send takes them), and the send's scopes when `resolve`.
pub fn snippet_input(
    ws: &WorkspaceData,
    environment: Option<EnvironmentId>,
    r: &RequestTab,
    resolve: bool,
) -> SnippetInput {
    let draft = &r.draft;
    let saved = ws.requests.contains_key(&draft.id);
    let chain = super::send::inherited_chain(ws, draft, saved, r.parent);
    let mut request = draft.clone();
    if request.auth == Auth::Inherit {
        request.auth = inherited_auth(ws, &chain).clone();
    }
    request.settings.inherit(&crate::http::inherited_settings(ws, chain.first().copied()));
    let scopes = resolve.then(|| super::send::request_scopes(ws, environment, draft, saved, r.parent));
    SnippetInput { request, scopes }
}

/// The auth of the nearest container that sets one (a collection's `Inherit` is none).
fn inherited_auth<'a>(ws: &'a WorkspaceData, chain: &[ParentId]) -> &'a Auth {
    chain
        .iter()
        .filter_map(|p| match p {
            ParentId::Folder(id) => ws.folders.get(id).map(|f| &f.auth),
            ParentId::Collection(id) => ws.collections.get(id).map(|c| &c.auth),
        })
        .find(|a| **a != Auth::Inherit)
        .unwrap_or(&Auth::None)
}

/// The snippet of `input` in `language` (pure: no state, no I/O).
pub fn write_snippet(language: Language, input: &SnippetInput) -> SnippetView {
    let mut resolution = Resolution::default();
    let request = match &input.scopes {
        Some(scopes) => resolve_request(&input.request, scopes, &mut resolution),
        None => input.request.clone(),
    };
    let exported = snippet(language, None, &request);
    SnippetView {
        text: Arc::from(exported.text),
        warnings: exported.report.warnings.into_iter().map(|w| w.message).collect(),
        missing: resolution.missing,
        has_secrets: !resolution.secrets.is_empty(),
    }
}

/// What resolving a request found.
#[derive(Default)]
struct Resolution {
    missing: Vec<String>,
    secrets: Vec<String>,
}

impl Resolution {
    fn text(&mut self, scopes: &Scopes, text: &mut String) {
        if !text.contains("{{") {
            return;
        }
        let resolved = scopes.resolve(text);
        for name in resolved.missing {
            if !self.missing.contains(&name) {
                self.missing.push(name);
            }
        }
        self.secrets.extend(resolved.secrets);
        *text = resolved.text;
    }

    /// Every text of a JSON value (the auth's fields, whatever its kind).
    fn json(&mut self, scopes: &Scopes, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => self.text(scopes, s),
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.json(scopes, v)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| self.json(scopes, v)),
            _ => {}
        }
    }
}

/// `request` with every `{{variable}}` a send resolves replaced (URL, params, path variables,
/// headers, body, auth); names no scope defines stay as written.
fn resolve_request(request: &Request, scopes: &Scopes, res: &mut Resolution) -> Request {
    let mut r = request.clone();
    res.text(scopes, &mut r.url);
    for kv in r.params.iter_mut().chain(r.headers.iter_mut()).chain(r.body.urlencoded.iter_mut()) {
        res.text(scopes, &mut kv.key);
        res.text(scopes, &mut kv.value);
    }
    for kv in &mut r.path_variables {
        res.text(scopes, &mut kv.value);
    }
    res.text(scopes, &mut r.body.raw);
    res.text(scopes, &mut r.body.binary_path);
    res.text(scopes, &mut r.body.graphql.query);
    res.text(scopes, &mut r.body.graphql.variables);
    res.text(scopes, &mut r.body.graphql.operation_name);
    for part in &mut r.body.multipart {
        res.text(scopes, &mut part.key);
        res.text(scopes, &mut part.content_type);
        match &mut part.kind {
            crate::model::FormPartKind::Text(v) | crate::model::FormPartKind::File(v) => res.text(scopes, v),
        }
    }
    if let Ok(mut auth) = serde_json::to_value(&r.auth) {
        res.json(scopes, &mut auth);
        if let Ok(auth) = serde_json::from_value(auth) {
            r.auth = auth;
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, Collection, Environment, KeyValue, RawLanguage, Variable};

    fn workspace() -> (WorkspaceData, Request, EnvironmentId) {
        let mut ws = WorkspaceData::new(crate::model::Workspace::new("Team"));
        let mut c = Collection::new("API");
        c.auth = Auth::Bearer { token: "{{token}}".into() };
        c.variables.push(Variable::new("path", "users"));
        let mut env = Environment::new("Local");
        env.variables.push(Variable::new("base", "http://127.0.0.1:9"));
        let mut secret = Variable::new("token", "s3cret");
        secret.secret = true;
        env.variables.push(secret);
        let env_id = env.id;
        ws.environments.insert(env.id, env);
        let mut r = Request::new("Create").with_url("{{base}}/{{path}}?q={{missing}}");
        r.headers.push(KeyValue::new("X-Base", "{{base}}"));
        r.body = Body::raw(RawLanguage::Json, "{\"p\": \"{{path}}\"}");
        let c_id = c.id;
        ws.add_collection(c);
        ws.add_request(ParentId::Collection(c_id), r.clone());
        (ws, r, env_id)
    }

    #[test]
    fn resolving_takes_the_environment_the_collection_and_the_inherited_auth() {
        let (ws, r, env) = workspace();
        let tab = RequestTab::new(r, None);
        let view = write_snippet(Language::Curl, &snippet_input(&ws, Some(env), &tab, true));
        assert!(view.text.contains("'http://127.0.0.1:9/users?q={{missing}}'"), "{}", view.text);
        assert!(view.text.contains("'Authorization: Bearer s3cret'"), "{}", view.text);
        assert!(view.text.contains("{\"p\": \"users\"}"), "{}", view.text);
        assert_eq!(view.missing, ["missing"]);
        assert!(view.has_secrets);
    }

    #[test]
    fn templates_are_kept_when_not_resolving() {
        let (ws, r, env) = workspace();
        let tab = RequestTab::new(r, None);
        let view = write_snippet(Language::PythonRequests, &snippet_input(&ws, Some(env), &tab, false));
        assert!(view.text.contains("\"{{base}}/{{path}}?q={{missing}}\""), "{}", view.text);
        assert!(view.text.contains("\"Bearer {{token}}\""), "{}", view.text);
        assert!(view.missing.is_empty() && !view.has_secrets);
    }

    #[test]
    fn an_unknown_language_in_the_session_falls_back_to_curl() {
        let mut panel = CodePanel::default();
        let prefs = CodePrefs { open: true, language: "cobol".into(), resolve: true };
        panel.restore(&prefs);
        assert_eq!(panel.language, Language::Curl);
        assert!(panel.open && panel.resolve);
        panel.language = Language::GoNetHttp;
        assert_eq!(Language::from_id(&panel.prefs().language), Some(Language::GoNetHttp));
    }
}
