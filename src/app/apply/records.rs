//! Environments, header presets, history and examples.

use crate::app::App;
use crate::app::command::Command;
use crate::app::response::{ResponseOrigin, ResponseView};
use crate::app::state::{Modal, RequestTab, SidebarSection, Tab, TabId, TabKind, Target};
use crate::app::writer::WriteJob;
use crate::model::*;

impl App {
    pub(super) fn select_environment(&mut self, env: Option<EnvironmentId>) {
        let Some(ws) = self.state.workspace else { return };
        match env {
            Some(env) => self.state.active_environment.insert(ws, env),
            None => self.state.active_environment.shift_remove(&ws),
        };
    }

    pub(super) fn environment_edited(&mut self, id: EnvironmentId) {
        if let Some(ws) = self.state.ws()
            && let Some(env) = ws.environments.get(&id)
        {
            let job = WriteJob::Environment { ws: ws.id(), environment: env.clone() };
            self.submit(job);
        }
    }

    pub(super) fn globals_edited(&mut self) {
        if let Some(ws) = self.state.ws() {
            let job = WriteJob::Globals { ws: ws.id(), globals: ws.globals.clone() };
            self.submit(job);
        }
    }

    pub(super) fn preset_edited(&mut self, id: PresetId) {
        if let Some(ws) = self.state.ws()
            && let Some(preset) = ws.header_presets.get(&id)
        {
            let job = WriteJob::Preset { ws: ws.id(), preset: preset.clone() };
            self.submit(job);
        }
    }

    /// Adds a preset's headers to a request (each one it does not have already).
    pub(super) fn insert_preset_headers(&mut self, tab: TabId, preset: PresetId) {
        let Some(headers) =
            self.state.ws().and_then(|w| w.header_presets.get(&preset)).map(|p| p.headers.clone())
        else {
            return;
        };
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
            for h in headers {
                if !r.draft.headers.iter().any(|x| x.key.eq_ignore_ascii_case(&h.key) && x.value == h.value) {
                    r.draft.headers.push(h);
                }
            }
        }
        self.state.refresh_dirty(tab);
    }

    pub(super) fn ask_clear_history(&mut self) {
        self.state.modal = Some(Modal::Confirm {
            title: "Clear history".into(),
            message: "Delete every history entry of this workspace? Saved requests are not affected.".into(),
            confirm_label: "Clear history".into(),
            on_confirm: Command::ClearHistoryConfirmed,
        });
    }

    pub(super) fn clear_history_confirmed(&mut self) {
        self.state.modal = None;
        self.clear_history();
    }

    pub(super) fn refresh_past_runs(&mut self) {
        if let Some(ws) = self.state.workspace {
            self.load_past_runs(ws);
        }
    }

    pub(super) fn delete_past_run_here(&mut self, id: RunId) {
        if let Some(ws) = self.state.workspace {
            self.delete_past_run(ws, id);
        }
    }

    pub(super) fn import_back(&mut self) {
        if let Some(Modal::Import(d)) = &mut self.state.modal {
            d.stage = crate::app::interop::ImportStage::Input;
        }
    }

    pub(super) fn set_theme(&mut self, theme: Theme) {
        self.state.settings.theme = theme;
        self.submit(WriteJob::Settings(self.state.settings.clone()));
    }

    pub(super) fn dismiss_save_error(&mut self) {
        if let Some(w) = &mut self.writer {
            w.dismiss_errors();
        }
    }

    pub(super) fn new_environment(&mut self) {
        let Some(ws) = self.state.workspace else { return };
        let env = Environment::new("New Environment");
        let id = env.id;
        self.insert_environment(ws, env);
        self.state.sidebar.section = SidebarSection::Environments;
        self.state.sidebar.renaming = Some((Target::Environment(id), "New Environment".into()));
        self.open_tab(ws, TabKind::Environment(id));
    }

    pub(super) fn insert_environment(&mut self, ws: WorkspaceId, env: Environment) {
        self.submit(WriteJob::Environment { ws, environment: env.clone() });
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.workspace.environments.push(env.id);
            data.environments.insert(env.id, env);
            let w = data.workspace.clone();
            self.submit(WriteJob::Tree(TreeWrite::Workspace(w)));
        }
    }

    pub(in crate::app) fn new_preset(&mut self) {
        let Some(ws) = self.state.workspace else { return };
        let preset = HeaderPreset::new("New Preset");
        let id = preset.id;
        self.insert_preset(ws, preset);
        self.open_tab(ws, TabKind::Preset(id));
    }

    pub(super) fn insert_preset(&mut self, ws: WorkspaceId, preset: HeaderPreset) {
        self.submit(WriteJob::Preset { ws, preset: preset.clone() });
        if let Some(data) = self.state.library.workspaces.get_mut(&ws) {
            data.workspace.header_presets.push(preset.id);
            data.header_presets.insert(preset.id, preset);
            let w = data.workspace.clone();
            self.submit(WriteJob::Tree(TreeWrite::Workspace(w)));
        }
    }

    /// Opens a history entry as a new, unsaved request: the request as it was written
    /// (`{{templates}}` resolved anew on the next send), in the place of the saved request it
    /// came from when that still exists. A value history did not keep (a secret, an auth
    /// header) is never filled in with a redaction mark: the user is told to enter it again.
    pub(super) fn open_history(&mut self, id: HistoryId) {
        let Some(entry) = self.state.history.iter().find(|e| e.id == id).cloned() else { return };
        let Some(ws) = self.state.workspace else { return };
        let name = if entry.name.is_empty() { entry.request.url.clone() } else { entry.name.clone() };
        let parent = entry.request_id.and_then(|r| {
            self.state.library.workspaces.get(&ws).and_then(|w| w.parent_of(ItemId::Request(r)))
        });
        let (request, incomplete) = match &entry.written {
            Some(written) => {
                (Request { id: RequestId::new(), name, ..(**written).clone() }, entry.written_incomplete)
            }
            None => sent_as_request(&entry.request, name),
        };
        if incomplete {
            self.state.notify(
                "History does not keep secrets: values that were typed in as secrets (a token, a password) are empty; enter them again before sending.",
            );
        }
        let mut tab = RequestTab::new(request, parent);
        tab.response = entry
            .response
            .as_ref()
            .map(|r| ResponseView::from_record(r, entry.request.clone(), ResponseOrigin::History(entry.at)));
        tab.error.clone_from(&entry.error);
        self.open_tab(ws, TabKind::Request(Box::new(tab)));
    }

    pub(super) fn clear_history(&mut self) {
        let Some(ws) = self.state.workspace else { return };
        self.state.history.clear();
        self.submit(WriteJob::Task {
            what: "clearing history".into(),
            run: Box::new(move |store| crate::storage::history::clear(store.workspace_dir(ws)?)),
        });
    }

    pub(super) fn save_example(&mut self, id: TabId) {
        let Some(tab) = self.state.tab(id) else { return };
        let ws = tab.workspace;
        let Some(r) = tab.request() else { return };
        let Some(response) = &r.response else { return };
        let example = SavedResponse {
            id: ExampleId::new(),
            name: format!("{} {}", response.status, response.reason).trim().to_owned(),
            // The request file is shareable: no auth header, no secret variable's value.
            request: response.redactions.apply(&response.sent),
            response: ResponseRecord {
                status: response.status,
                reason: response.reason.clone(),
                http_version: response.http_version.clone(),
                headers: response.headers.clone(),
                body: Some(StoredBody::from_bytes(&response.body)),
                body_truncated: response.body_truncated,
                size_bytes: response.size_bytes,
                wire_size_bytes: response.wire_size_bytes,
                time_ms: response.time_ms,
            },
            saved_at: Some(time::OffsetDateTime::now_utc()),
            source_request: Some(r.draft.id),
        };
        let request_id = r.draft.id;
        let parent = r.parent;
        let name = example.name.clone();
        if let Some(r) = self.state.tab_mut(id).and_then(Tab::request_mut) {
            r.draft.examples.push(example.clone());
        }
        let saved = self.state.library.workspaces.get_mut(&ws).and_then(|w| w.requests.get_mut(&request_id));
        match (saved, parent) {
            (Some(saved), Some(parent)) => {
                saved.examples.push(example);
                let request = saved.clone();
                self.submit(WriteJob::Tree(TreeWrite::Request { parent, request }));
                self.state.notify(format!("Saved the response as example \"{name}\"."));
            }
            _ => self.state.notify("Example added; save the request to keep it."),
        }
        self.state.refresh_dirty(id);
    }

    pub(super) fn paste_curl(&mut self, tab: TabId, text: &str) {
        match crate::interop::foreign::curl::parse(text) {
            Ok(request) => {
                if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
                    let keep_id = r.draft.id;
                    let keep_name = r.draft.name.clone();
                    r.draft = Request { id: keep_id, name: keep_name, ..request };
                    if r.named_from_url {
                        r.url_changed();
                    }
                }
                self.state.refresh_dirty(tab);
            }
            Err(e) => self.state.error(format!("Could not read the pasted cURL command: {e}")),
        }
    }
}

/// A request rebuilt from what was sent (history written before it kept the request as written):
/// headers history redacted are left out rather than sent with their mark. Also says whether
/// any was left out.
pub(super) fn sent_as_request(sent: &SentRequest, name: String) -> (Request, bool) {
    let mut request = Request::new(name);
    request.method = Method::parse(&sent.method);
    request.url = sent.url.replace(crate::http::SECRET, "");
    request.params = crate::model::url_text::query_params(&request.url);
    let redacted = |v: &str| v.contains(crate::http::REDACTED) || v.contains(crate::http::SECRET);
    request.headers = sent
        .headers
        .iter()
        .filter(|h| !crate::http::is_added_by_engine(&h.name) && !redacted(&h.value))
        .map(|h| KeyValue::new(&h.name, &h.value))
        .collect();
    let mut incomplete = sent.headers.iter().any(|h| redacted(&h.value)) || redacted(&sent.url);
    if let Some(body) = &sent.body {
        let text = String::from_utf8_lossy(&body.to_bytes()).into_owned();
        incomplete |= redacted(&text);
        let text = text.replace(crate::http::SECRET, "");
        let json = find_header(&sent.headers, "content-type").is_some_and(|c| c.contains("json"));
        request.body = Body::raw(if json { RawLanguage::Json } else { RawLanguage::Text }, text);
    }
    (request, incomplete)
}
