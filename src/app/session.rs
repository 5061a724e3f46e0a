//! What the window had open, kept across restarts in `session.ron`: open tabs with their unsaved
//! drafts, the current workspace and each workspace's active environment. Personal, never shared.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::model::{EnvironmentId, ExampleId, ParentId, PresetId, Request, RequestId, WorkspaceId};
use crate::storage::document::Document;

pub const SESSION_FILE: &str = "session.ron";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Session {
    pub workspace: Option<WorkspaceId>,
    pub active_environment: IndexMap<WorkspaceId, EnvironmentId>,
    pub tabs: Vec<SessionTab>,
    pub active_tab: Option<usize>,
    /// The Code panel: open or not, the language, whether variables are resolved.
    pub code: super::code_panel::CodePrefs,
    /// Which of `tabs` is the preview tab (a single click in the sidebar opened it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preview_tab: Option<usize>,
    /// The request editor's share of a request tab's height.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editor_split: Option<f32>,
}

impl Document for Session {
    const KEY: &'static str = "session";
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SessionTab {
    /// A request tab: a saved request (with the unsaved draft, if any) or a new one.
    Request {
        workspace: WorkspaceId,
        id: RequestId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent: Option<ParentId>,
        /// Present when the tab had unsaved edits (or was never saved).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        draft: Option<Box<Request>>,
    },
    Environment {
        workspace: WorkspaceId,
        id: EnvironmentId,
    },
    Globals {
        workspace: WorkspaceId,
    },
    Preset {
        workspace: WorkspaceId,
        id: PresetId,
    },
    Container {
        workspace: WorkspaceId,
        id: ParentId,
    },
    Settings {
        workspace: WorkspaceId,
    },
    Policy {
        workspace: WorkspaceId,
    },
    /// The runner of a collection or folder (its settings start afresh).
    Runner {
        workspace: WorkspaceId,
        target: ParentId,
    },
    /// A saved example of a request (read-only again on restart).
    Example {
        workspace: WorkspaceId,
        request: RequestId,
        example: ExampleId,
    },
}
