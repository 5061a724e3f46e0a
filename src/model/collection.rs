//! Collections and folders: named containers, nested to any depth, with inheritable auth,
//! variables and the order of their children.

use serde::{Deserialize, Serialize};

use super::auth::Auth;
use super::ids::{CollectionId, FolderId, ItemId};
use super::request::RequestSettings;
use super::scripts::Scripts;
use super::variables::Variable;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Collection {
    pub id: CollectionId,
    pub name: String,
    /// Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<Variable>,
    /// The auth requests inherit; a collection's `Inherit` means none.
    #[serde(default = "no_auth")]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Folder {
    pub id: FolderId,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<Variable>,
    #[serde(default)]
    pub auth: Auth,
    #[serde(default, skip_serializing_if = "Scripts::is_empty")]
    pub scripts: Scripts,
    #[serde(default, skip_serializing_if = "is_default_settings")]
    pub settings: RequestSettings,
    #[serde(default)]
    pub children: Vec<ItemId>,
}

fn no_auth() -> Auth {
    Auth::None
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
