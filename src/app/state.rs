//! The app's state: what is loaded, what is open, what the user is in the middle of.
//! Persisted parts go through [`super::writer`]; transient parts (responses in flight, modals,
//! caches) live only here.

use std::collections::HashSet;
use std::path::PathBuf;

use indexmap::IndexMap;

use crate::model::*;
use crate::storage::Problem;

use super::response::ResponseView;

/// A tab's identity for the current run of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TabId(pub u64);

/// Something in the sidebar that can be renamed, duplicated, deleted or opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Workspace(WorkspaceId),
    Collection(CollectionId),
    Folder(FolderId),
    Request(RequestId),
    Environment(EnvironmentId),
    Preset(PresetId),
    /// A saved example of a request.
    Example(RequestId, ExampleId),
}

impl From<ItemId> for Target {
    fn from(item: ItemId) -> Self {
        match item {
            ItemId::Folder(id) => Target::Folder(id),
            ItemId::Request(id) => Target::Request(id),
        }
    }
}

impl From<ParentId> for Target {
    fn from(p: ParentId) -> Self {
        match p {
            ParentId::Collection(id) => Target::Collection(id),
            ParentId::Folder(id) => Target::Folder(id),
        }
    }
}

/// The request editor's sections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EditorSection {
    #[default]
    Params,
    PathVariables,
    Headers,
    Body,
    Auth,
    Settings,
    /// Assertions and captures.
    Checks,
    /// Pre-request and post-response (test) scripts.
    Scripts,
    Description,
}

/// The response panel's sections.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResponseSection {
    #[default]
    Body,
    Headers,
    Cookies,
    /// What the test scripts reported.
    Tests,
    Timeline,
    /// An event stream's events, one a row (see [`super::sse`]).
    Events,
}

/// Which table of a request is in bulk-edit (text) mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KvTable {
    Params,
    PathVariables,
    Headers,
    UrlEncoded,
}

/// How an open request's saved version relates to its file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DiskState {
    #[default]
    InSync,
    /// The file was changed from outside while this tab had unsaved edits.
    Changed,
    /// The file was deleted from outside.
    Deleted,
}

/// An open request: the draft being edited and the last response.
/// Where a path field beside a "Browse…" button is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathField {
    /// The dialog open (import, export, save body, backup).
    Modal,
    /// A runner tab's data file or export path.
    Runner,
    /// A request body's file (binary, or a multipart part).
    Body,
}

pub struct RequestTab {
    /// Where it is saved; `None` for a request that was never saved.
    pub parent: Option<ParentId>,
    pub draft: Request,
    pub dirty: bool,
    pub disk: DiskState,
    pub section: EditorSection,
    pub response_section: ResponseSection,
    pub response: Option<ResponseView>,
    pub in_flight: Option<super::send::InFlight>,
    /// The last failure to send (unresolved variables, transport error), shown in the response area.
    pub error: Option<String>,
    pub bulk: HashSet<KvTable>,
    pub bulk_text: IndexMap<u8, String>,
    /// The custom method being typed, when "Custom…" is picked.
    pub custom_method: Option<String>,
    /// Which script the Scripts section shows: pre-request or post-response.
    pub script_event: crate::script::Event,
    /// What the last send's scripts reported (`None`: it had none).
    pub scripts: Option<super::scripts::ScriptReport>,
    pub test_filter: super::scripts::TestFilter,
    /// The response filter (JSONPath / XPath) last typed: kept for the tab's next responses.
    pub body_filter: String,
    /// A new request's name follows its URL until the user names it.
    pub named_from_url: bool,
    /// A GraphQL body's schema, checks, completion and explorer.
    pub graphql: super::graphql::GraphQlTab,
    /// The events of the last send, when its response is an event stream (see [`super::sse`]).
    pub sse: Option<super::sse::SseSession>,
    /// A WebSocket request's connection, composer and log (created when first shown).
    pub websocket: Option<Box<super::ws::WsTab>>,
}

impl RequestTab {
    pub fn new(draft: Request, parent: Option<ParentId>) -> Self {
        Self {
            parent,
            draft,
            dirty: false,
            disk: DiskState::InSync,
            section: EditorSection::default(),
            response_section: ResponseSection::default(),
            response: None,
            in_flight: None,
            error: None,
            bulk: HashSet::new(),
            bulk_text: IndexMap::new(),
            custom_method: None,
            script_event: crate::script::Event::PreRequest,
            scripts: None,
            test_filter: super::scripts::TestFilter::default(),
            body_filter: String::new(),
            named_from_url: false,
            graphql: super::graphql::GraphQlTab::default(),
            sse: None,
            websocket: None,
        }
    }

    /// A request never saved, named after its URL until the user names it.
    pub fn unnamed(draft: Request) -> Self {
        Self { named_from_url: true, ..Self::new(draft, None) }
    }

    /// Follows a changed URL: its params and path variables, and, for an unnamed new request,
    /// its name.
    pub fn url_changed(&mut self) {
        self.draft.params = crate::model::url_text::params_from_url(&self.draft.url, &self.draft.params);
        self.draft.path_variables =
            crate::model::url_text::path_variables_for(&self.draft.url, &self.draft.path_variables);
        if self.named_from_url {
            self.draft.name = crate::model::url_text::name_from_url(&self.draft.url);
        }
    }
}

pub enum TabKind {
    Request(Box<RequestTab>),
    Environment(EnvironmentId),
    Globals,
    Preset(PresetId),
    /// A collection's or folder's overview: description, auth, variables.
    Container(ParentId),
    Settings,
    /// The organization policy page.
    Policy,
    /// The collection runner of a collection or folder, with its past runs.
    Runner(Box<super::runs::RunnerTab>),
    /// A saved example: its request and response, read-only until edited.
    Example(Box<super::examples::ExampleTab>),
}

pub struct Tab {
    pub id: TabId,
    pub workspace: WorkspaceId,
    pub kind: TabKind,
}

impl Tab {
    pub fn request(&self) -> Option<&RequestTab> {
        match &self.kind {
            TabKind::Request(r) => Some(r),
            _ => None,
        }
    }

    pub fn request_mut(&mut self) -> Option<&mut RequestTab> {
        match &mut self.kind {
            TabKind::Request(r) => Some(r),
            _ => None,
        }
    }
}

/// Which list the sidebar shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SidebarSection {
    #[default]
    Collections,
    Environments,
    History,
    Presets,
}

#[derive(Default)]
pub struct SidebarState {
    pub section: SidebarSection,
    pub filter: String,
    pub expanded: HashSet<ParentId>,
    /// Requests whose saved examples are listed under them.
    pub expanded_requests: HashSet<RequestId>,
    /// The entry being renamed in place, with the text typed so far.
    pub renaming: Option<(Target, String)>,
    pub new_workspace_name: Option<String>,
    /// The tree's selected row (keyboard, click, the open tab).
    pub tree: super::tree_selection::TreeSelection,
    /// What History is searched for (URL, method, status, time).
    pub history_query: String,
}

/// A dialog over the window.
pub enum Modal {
    Confirm {
        title: String,
        message: String,
        confirm_label: String,
        on_confirm: super::command::Command,
    },
    /// Closing a tab with unsaved edits.
    UnsavedTab(TabId),
    /// Closing several tabs (close others, to the right, all) of which these hold unsaved edits.
    UnsavedTabs(Vec<TabId>),
    /// Saving a request whose file was changed from outside.
    Conflict(TabId),
    SaveAs {
        tab: TabId,
        name: String,
        parent: Option<ParentId>,
    },
    QuickOpen {
        query: String,
        selected: usize,
    },
    /// Where to write a response body; the path field works without a native dialog.
    SaveBody {
        tab: TabId,
        path: String,
    },
    CommandPalette {
        query: String,
        selected: usize,
    },
    /// Deleting all local data: a backup first, then a typed confirmation.
    Reset(Box<super::reset::ResetDialog>),
    Import(Box<super::interop::ImportDialog>),
    /// The cookie manager.
    Cookies(Box<super::cookies::CookieManager>),
    Export(Box<super::interop::ExportDialog>),
}

/// A message shown once at the top of the window.
#[derive(Clone, Debug)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

pub struct AppState {
    pub data_dir: PathBuf,
    pub library: Library,
    pub workspace: Option<WorkspaceId>,
    pub active_environment: IndexMap<WorkspaceId, EnvironmentId>,
    pub tabs: Vec<Tab>,
    pub active_tab: Option<TabId>,
    pub next_tab: u64,
    pub sidebar: SidebarState,
    pub settings: Settings,
    /// What loading the data folder reported.
    pub problems: Vec<Problem>,
    pub history: Vec<HistoryEntry>,
    pub modal: Option<Modal>,
    pub notice: Option<Notice>,
    /// Set by Ctrl+L; the URL field takes focus on the next frame.
    pub focus_url: bool,
    /// Set when "Browse…" found no file chooser: which path field takes the focus next frame.
    pub focus_path_field: Option<PathField>,
    /// Bumped by every command and every read of the data folder: views that derive lists from
    /// the library (the filtered tree, quick open) recompute only when it moves.
    pub revision: u64,
    pub policy: std::sync::Arc<crate::policy::EffectivePolicy>,
    /// The past runs of the workspace a runner tab shows.
    pub past_runs: super::runs::PastRuns,
    /// Script output of sends and runs.
    pub console: super::scripts::Console,
    /// Where each script last stopped on an error (its editor marks the line).
    pub script_marks: super::scripts::ScriptMarks,
    /// The Code panel of request tabs: language, switch, the snippet last written.
    pub code: super::code_panel::CodePanel,
    /// The one preview tab, if any: opened by a single click in the sidebar, reused by the next
    /// one, kept (made a normal tab) by an edit, a send or a double-click.
    pub preview_tab: Option<TabId>,
    /// The request editor's share of a request tab's height (the rest shows the response).
    pub editor_split: f32,
}

impl AppState {
    pub fn new(data_dir: PathBuf, policy: std::sync::Arc<crate::policy::EffectivePolicy>) -> Self {
        Self {
            data_dir,
            library: Library::default(),
            workspace: None,
            active_environment: IndexMap::new(),
            tabs: Vec::new(),
            active_tab: None,
            next_tab: 1,
            sidebar: SidebarState::default(),
            settings: Settings::default(),
            problems: Vec::new(),
            history: Vec::new(),
            modal: None,
            notice: None,
            focus_url: false,
            focus_path_field: None,
            revision: 0,
            policy,
            past_runs: super::runs::PastRuns::default(),
            console: super::scripts::Console::default(),
            script_marks: super::scripts::ScriptMarks::default(),
            code: super::code_panel::CodePanel::default(),
            preview_tab: None,
            editor_split: super::tabs::DEFAULT_EDITOR_SPLIT,
        }
    }

    /// The settings in effect: the user's, with what the organization policy fixes.
    pub fn effective_settings(&self) -> Settings {
        self.policy.effective_settings(&self.settings)
    }

    pub fn ws(&self) -> Option<&WorkspaceData> {
        self.workspace.and_then(|id| self.library.workspaces.get(&id))
    }

    pub fn ws_mut(&mut self) -> Option<&mut WorkspaceData> {
        self.workspace.and_then(|id| self.library.workspaces.get_mut(&id))
    }

    pub fn environment(&self) -> Option<&Environment> {
        let ws = self.ws()?;
        let id = self.active_environment.get(&ws.id())?;
        ws.environments.get(id)
    }

    pub fn tab(&self, id: TabId) -> Option<&Tab> {
        self.tabs.iter().find(|t| t.id == id)
    }

    pub fn tab_mut(&mut self, id: TabId) -> Option<&mut Tab> {
        self.tabs.iter_mut().find(|t| t.id == id)
    }

    pub fn active(&self) -> Option<&Tab> {
        self.active_tab.and_then(|id| self.tab(id))
    }

    pub fn new_tab_id(&mut self) -> TabId {
        self.next_tab += 1;
        TabId(self.next_tab)
    }

    pub fn notify(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { text: text.into(), is_error: false });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { text: text.into(), is_error: true });
    }

    /// Tabs holding edits that are not saved to their request's file: request drafts (new
    /// requests included, kept in the session) and examples being edited.
    pub fn draft_count(&self) -> usize {
        self.tabs
            .iter()
            .filter(|t| match &t.kind {
                TabKind::Request(r) => r.dirty,
                TabKind::Example(e) => e.dirty,
                _ => false,
            })
            .count()
    }

    /// Recomputes a request tab's unsaved marker against the saved request.
    pub fn refresh_dirty(&mut self, tab: TabId) {
        let Some(t) = self.tabs.iter_mut().find(|t| t.id == tab) else { return };
        let ws = self.library.workspaces.get(&t.workspace);
        if let TabKind::Request(r) = &mut t.kind {
            r.dirty = ws.and_then(|w| w.requests.get(&r.draft.id)).is_none_or(|saved| *saved != r.draft);
            // An edited preview tab is kept: the next click in the sidebar opens another tab.
            if r.dirty && self.preview_tab == Some(tab) {
                self.preview_tab = None;
            }
        }
    }
}
