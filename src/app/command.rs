//! Everything a user can ask the app to do. Widgets return these; [`super::App::apply`] is the
//! one place they take effect. [`Action`]s are the parameterless ones: the same list drives the
//! menus, the keyboard shortcuts and the command palette.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::model::*;

use super::state::{TabId, Target};

/// A global action with a name and maybe a shortcut.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    NewRequest,
    NewWebSocketRequest,
    NewCollection,
    NewEnvironment,
    Save,
    SaveAs,
    Send,
    Cancel,
    CloseTab,
    FocusUrl,
    CopyAsCurl,
    QuickOpen,
    CommandPalette,
    ShowCollections,
    ShowEnvironments,
    ShowHistory,
    ShowPresets,
    OpenGlobals,
    ToggleTheme,
    ZoomIn,
    ZoomOut,
    OpenSettings,
    ReloadFromDisk,
    ShowPolicy,
    ResetLocalData,
    Import,
    ExportEverything,
    RunCollection,
    ToggleConsole,
    ManageCookies,
}

impl Action {
    pub const ALL: [Action; 30] = [
        Action::NewRequest,
        Action::NewWebSocketRequest,
        Action::NewCollection,
        Action::NewEnvironment,
        Action::Save,
        Action::SaveAs,
        Action::Send,
        Action::Cancel,
        Action::CloseTab,
        Action::FocusUrl,
        Action::CopyAsCurl,
        Action::QuickOpen,
        Action::CommandPalette,
        Action::ShowCollections,
        Action::ShowEnvironments,
        Action::ShowHistory,
        Action::ShowPresets,
        Action::OpenGlobals,
        Action::ToggleTheme,
        Action::ZoomIn,
        Action::ZoomOut,
        Action::OpenSettings,
        Action::ReloadFromDisk,
        Action::ShowPolicy,
        Action::Import,
        Action::ExportEverything,
        Action::RunCollection,
        Action::ToggleConsole,
        Action::ManageCookies,
        Action::ResetLocalData,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Action::NewRequest => "New request",
            Action::NewWebSocketRequest => "New WebSocket request",
            Action::NewCollection => "New collection",
            Action::NewEnvironment => "New environment",
            Action::Save => "Save",
            Action::SaveAs => "Save as…",
            Action::Send => "Send",
            Action::Cancel => "Cancel request",
            Action::CloseTab => "Close tab",
            Action::FocusUrl => "Focus URL",
            Action::CopyAsCurl => "Copy request as cURL",
            Action::QuickOpen => "Quick open request…",
            Action::CommandPalette => "Command palette…",
            Action::ShowCollections => "Show collections",
            Action::ShowEnvironments => "Show environments",
            Action::ShowHistory => "Show history",
            Action::ShowPresets => "Show header presets",
            Action::OpenGlobals => "Edit globals",
            Action::ToggleTheme => "Toggle light/dark theme",
            Action::ZoomIn => "Larger text",
            Action::ZoomOut => "Smaller text",
            Action::OpenSettings => "Settings",
            Action::ReloadFromDisk => "Reload from disk",
            Action::ShowPolicy => "Organization policy",
            Action::ResetLocalData => "Reset local data…",
            Action::Import => "Import…",
            Action::ExportEverything => "Export a backup of everything…",
            Action::RunCollection => "Run collection…",
            Action::ToggleConsole => "Toggle console",
            Action::ManageCookies => "Manage cookies…",
        }
    }

    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        Some(match self {
            Action::NewRequest => KeyboardShortcut::new(cmd, Key::T),
            Action::Save => KeyboardShortcut::new(cmd, Key::S),
            Action::SaveAs => KeyboardShortcut::new(cmd_shift, Key::S),
            Action::Send => KeyboardShortcut::new(cmd, Key::Enter),
            Action::Cancel => KeyboardShortcut::new(Modifiers::NONE, Key::Escape),
            Action::CloseTab => KeyboardShortcut::new(cmd, Key::W),
            Action::FocusUrl => KeyboardShortcut::new(cmd, Key::L),
            Action::CopyAsCurl => KeyboardShortcut::new(cmd_shift, Key::C),
            Action::QuickOpen => KeyboardShortcut::new(cmd, Key::K),
            Action::CommandPalette => KeyboardShortcut::new(cmd_shift, Key::P),
            Action::ZoomIn => KeyboardShortcut::new(cmd, Key::Plus),
            Action::ZoomOut => KeyboardShortcut::new(cmd, Key::Minus),
            Action::OpenSettings => KeyboardShortcut::new(cmd, Key::Comma),
            Action::ToggleConsole => KeyboardShortcut::new(cmd | Modifiers::ALT, Key::C),
            _ => return None,
        })
    }

    /// Where the action sits in the menu bar, or `None` when only the palette and the shortcuts
    /// reach it. A group's entries are drawn in the order of [`Action::ALL`].
    pub fn menu_group(self) -> Option<MenuGroup> {
        Some(match self {
            Action::NewRequest
            | Action::NewWebSocketRequest
            | Action::NewCollection
            | Action::NewEnvironment => MenuGroup::FileNew,
            Action::Save | Action::SaveAs | Action::CloseTab => MenuGroup::FileSave,
            Action::Import | Action::ExportEverything => MenuGroup::FileImportExport,
            Action::ReloadFromDisk => MenuGroup::FileReload,
            Action::OpenSettings | Action::ShowPolicy => MenuGroup::FileSettings,
            Action::Send | Action::Cancel | Action::FocusUrl | Action::CopyAsCurl | Action::ManageCookies => {
                MenuGroup::Request
            }
            Action::QuickOpen
            | Action::CommandPalette
            | Action::ShowCollections
            | Action::ShowEnvironments
            | Action::ShowHistory
            | Action::ShowPresets
            | Action::OpenGlobals
            | Action::ToggleConsole => MenuGroup::View,
            Action::ZoomIn | Action::ZoomOut => MenuGroup::ViewZoom,
            Action::ToggleTheme | Action::ResetLocalData | Action::RunCollection => return None,
        })
    }

    /// "New request (Ctrl+T)" for tooltips and menus.
    pub fn with_shortcut(self, ctx: &egui::Context) -> String {
        match self.shortcut() {
            Some(s) => format!("{} ({})", self.label(), ctx.format_shortcut(&s)),
            None => self.label().to_owned(),
        }
    }
}

/// A group of entries of the menu bar; the menus draw a separator between groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MenuGroup {
    /// File: new request, collection and environment.
    FileNew,
    /// File: save, save as and close the tab.
    FileSave,
    FileImportExport,
    FileReload,
    /// File: the settings and the organization policy.
    FileSettings,
    Request,
    /// View: where to look (quick open, the palette, the sidebar's sections, the console).
    View,
    ViewZoom,
}

/// A file path field of a request body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileField {
    Binary,
    MultipartPart(usize),
}

/// A request from the UI to change something.
#[derive(Clone, Debug)]
pub enum Command {
    Action(Action),

    SwitchWorkspace(WorkspaceId),
    CreateWorkspace(String),
    RenameWorkspace(WorkspaceId, String),
    /// Asks for confirmation first.
    DeleteWorkspace(WorkspaceId),
    DeleteWorkspaceConfirmed(WorkspaceId),

    NewFolder(ParentId),
    NewRequestIn(ParentId),
    Rename(Target, String),
    Duplicate(Target),
    /// Asks for confirmation first.
    Delete(Target),
    DeleteConfirmed(Target),
    /// Moves an item into `to` at position `index` of its children.
    Move {
        item: ItemId,
        to: ParentId,
        index: usize,
    },
    /// Starts renaming in place.
    StartRename(Target),
    RenameTyping(String),
    CancelRename,
    ToggleExpanded(ParentId),

    OpenRequest(RequestId),
    OpenTarget(Target),
    SelectTab(TabId),
    /// Asks to save, discard or cancel when the tab has unsaved edits.
    CloseTab(TabId),
    CloseTabDiscard(TabId),
    SaveTab(TabId),
    SaveTabThenClose(TabId),
    SaveAs {
        tab: TabId,
        parent: ParentId,
        name: String,
    },
    /// The Save dialog's new collection or folder, named inline.
    SaveDialog(super::save_dialog::SaveDialogCommand),
    Send(TabId),
    Cancel(TabId),
    /// Ends a response body where it is (the response keeps what arrived).
    StopBody(TabId),
    /// The event view of a streaming response (Stop, rows opened, ...).
    Sse(super::sse::SseCommand),
    /// Replaces a tab's request with one parsed from a pasted cURL command.
    PasteCurl {
        tab: TabId,
        text: String,
    },
    /// Opens a file dialog for a file field of a request (the path field stays as the fallback).
    PickFile {
        tab: TabId,
        field: FileField,
    },

    /// Opens the runner of a collection or folder.
    OpenRunner(ParentId),
    StartRun(TabId),
    CancelRun(TabId),
    /// Shows a past run in the runner tab (and re-reads the list).
    RefreshPastRuns,
    DeletePastRun(RunId),
    ExportRun {
        tab: TabId,
        run: RunId,
    },
    BrowseRunner {
        tab: TabId,
        what: super::runs::BrowseFor,
    },
    /// Opens or closes a runner result's request and response.
    RunResult(super::run_detail::RunResultCommand),

    SelectEnvironment(Option<EnvironmentId>),
    /// The environment, globals or preset was edited in place; save it.
    EnvironmentEdited(EnvironmentId),
    GlobalsEdited,
    PresetEdited(PresetId),
    InsertPreset {
        tab: TabId,
        preset: PresetId,
    },
    NewPreset,

    OpenHistory(HistoryId),
    /// Asks for confirmation first.
    ClearHistory,
    ClearHistoryConfirmed,
    ReloadHistory,

    SaveResponseAsExample(TabId),
    /// The cookie manager: open it, add, edit, delete, clear.
    Cookies(super::cookies::CookieCommand),
    /// A GraphQL body's schema: fetch it, load it from a file.
    GraphQl(super::graphql::GraphQlCommand),
    /// Saved examples: open, edit, save, try.
    Example(super::examples::ExampleCommand),
    /// A request draft was edited in place: refresh its unsaved marker.
    DraftEdited(TabId),
    /// A collection's or folder's overview was edited in place; save it.
    ContainerEdited(ParentId),
    SetTheme(Theme),
    /// The settings screen changed a setting; save them.
    SettingsEdited,
    OpenDataFolder,
    ReloadPolicy,
    /// Import: a file dropped on the window (the dialog opens and reads it).
    ImportFile(std::path::PathBuf),
    BrowseImportPath,
    /// Import: read, check and preview what the dialog names.
    ReadImport,
    /// Import: write what the preview shows, with the chosen resolutions.
    ConfirmImport,
    /// Import: back to choosing the input.
    ImportBack,
    Export(super::interop::ExportWhat),
    ExportFormatChanged,
    WriteExport,
    CopyAsCurl(RequestId),
    /// Reset local data: export the backup the dialog describes.
    WriteResetBackup,
    BrowseResetBackupPath,
    /// Reset local data: the user typed the confirmation.
    ResetConfirmed,
    /// Asks where, then writes the whole body to a file.
    SaveResponseBody(TabId),
    BrowseSavePath,
    WriteResponseBody {
        tab: TabId,
        path: String,
    },
    CopyToClipboard(String),
    /// The Code panel of request tabs.
    Code(super::code_panel::CodeCommand),
    /// Empties the console.
    ClearConsole,
    DismissNotice,
    DismissSaveError,
    CloseModal,
    /// Conflict choices for a request changed on disk while edited here.
    OverwriteOnDisk(TabId),
    SaveMineAsNew(TabId),
    /// A request deleted on disk: re-create it, or close its tab.
    KeepDeleted(TabId),
    /// Drops a tab's unsaved edits for the saved version.
    DiscardDraft(TabId),
    /// The tab strip: preview tabs, closing several tabs, the editor's split.
    Tabs(super::tabs::TabCommand),
    /// WebSocket requests: create, connect, send, saved messages, the log.
    WebSocket(super::ws::WsCommand),
}
