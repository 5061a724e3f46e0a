//! Stable identities. Every entity a user owns carries one; renaming or moving never changes it.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random id.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }

            /// The first eight hex digits, for file names and compact displays.
            pub fn short(&self) -> String {
                self.0.simple().to_string()[..8].to_owned()
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// Identity of a [`crate::model::Workspace`].
    WorkspaceId
);
id_type!(
    /// Identity of a [`crate::model::Collection`].
    CollectionId
);
id_type!(
    /// Identity of a [`crate::model::Folder`].
    FolderId
);
id_type!(
    /// Identity of a [`crate::model::Request`].
    RequestId
);
id_type!(
    /// Identity of a [`crate::model::SavedResponse`] (an "example").
    ExampleId
);
id_type!(
    /// Identity of a [`crate::model::websocket::SavedMessage`] of a WebSocket request.
    MessageId
);
id_type!(
    /// Identity of an [`crate::model::Environment`].
    EnvironmentId
);
id_type!(
    /// Identity of the [`crate::model::Globals`] of a workspace.
    GlobalsId
);
id_type!(
    /// Identity of a [`crate::model::HeaderPreset`].
    PresetId
);
id_type!(
    /// Identity of a [`crate::model::Variable`]; secret values are keyed by it.
    VariableId
);
id_type!(
    /// Identity of a [`crate::model::RunResult`].
    RunId
);
id_type!(
    /// Identity of a [`crate::model::HistoryEntry`].
    HistoryId
);

/// A child of a collection or folder, as listed in its parent's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ItemId {
    Folder(FolderId),
    Request(RequestId),
}

/// Where a folder or request lives: directly in a collection or inside a folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParentId {
    Collection(CollectionId),
    Folder(FolderId),
}
