//! Collections and folders: named containers, nested to any depth, with inheritable auth,
//! variables and the order of their children.

use serde::{Deserialize, Serialize};

use super::auth::Auth;
use super::ids::{CollectionId, FolderId, ItemId};
use super::request::RequestSettings;
use super::scripts::Scripts;
use super::variables::Variable;

/// A collection or a folder: one shape, told apart by the kind of its id ([`Collection`] is
/// `Container<CollectionId>`, [`Folder`] is `Container<FolderId>`), so that code working on
/// either (merging, copying, inheriting) is written once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "Id: ContainerId + Deserialize<'de>"))]
pub struct Container<Id: ContainerId> {
    pub id: Id,
    pub name: String,
    /// Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<Variable>,
    /// The auth requests inherit. A collection's `Inherit` means none; a folder's takes its
    /// parent's.
    #[serde(default = "Id::default_auth")]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "Scripts::is_empty")]
    pub scripts: Scripts,
    /// Defaults for the requests inside (from Postman's `protocolProfileBehavior`).
    #[serde(default, skip_serializing_if = "is_default_settings")]
    pub settings: RequestSettings,
    /// The order of the direct children. Entries naming a child that failed to load are kept.
    #[serde(default)]
    pub children: Vec<ItemId>,
}

/// A collection: the top of a tree of folders and requests.
pub type Collection = Container<CollectionId>;
/// A folder, inside a collection or another folder.
pub type Folder = Container<FolderId>;

/// The ids a [`Container`] can have, and what differs between the two kinds.
pub trait ContainerId: Copy + Eq + std::hash::Hash + std::fmt::Debug {
    /// What a file without an `auth` field means.
    fn default_auth() -> Auth;
    fn uuid(self) -> uuid::Uuid;
}

impl ContainerId for CollectionId {
    fn default_auth() -> Auth {
        Auth::None
    }
    fn uuid(self) -> uuid::Uuid {
        self.0
    }
}

impl ContainerId for FolderId {
    fn default_auth() -> Auth {
        Auth::Inherit
    }
    fn uuid(self) -> uuid::Uuid {
        self.0
    }
}

fn is_default_settings(s: &RequestSettings) -> bool {
    *s == RequestSettings::default()
}

impl Collection {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            id: CollectionId::new(),
            name: name.into(),
            description: String::new(),
            variables: Vec::new(),
            auth: Auth::None,
            scripts: Scripts::default(),
            settings: RequestSettings::default(),
            children: Vec::new(),
        }
    }
}

impl Folder {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            id: FolderId::new(),
            name: name.into(),
            description: String::new(),
            variables: Vec::new(),
            auth: Auth::Inherit,
            scripts: Scripts::default(),
            settings: RequestSettings::default(),
            children: Vec::new(),
        }
    }
}
