//! Variables, environments and globals.

use serde::{Deserialize, Serialize};

use super::ids::{EnvironmentId, GlobalsId, VariableId};
use super::kv::{is_false, is_true};

/// A variable. A secret one's value is never written into the shareable file it belongs to; the
/// data folder keeps it in its private secrets file, keyed by `id`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    #[serde(default)]
    pub id: VariableId,
    pub key: String,
    #[serde(default)]
    pub value: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

fn yes() -> bool {
    true
}

impl std::fmt::Debug for Variable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("Variable");
        d.field("id", &self.id).field("key", &self.key);
        if self.secret {
            d.field("value", &super::masked::Masked(&self.value));
        } else {
            d.field("value", &self.value);
        }
        d.field("enabled", &self.enabled).field("secret", &self.secret).finish_non_exhaustive()
    }
}

impl Variable {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            id: VariableId::new(),
            key: key.into(),
            value: value.into(),
            enabled: true,
            secret: false,
            description: String::new(),
        }
    }

    #[must_use]
    pub fn secret(mut self) -> Self {
        self.secret = true;
        self
    }

    #[must_use]
    pub fn disabled(mut self) -> Self {
        self.enabled = false;
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Environment {
    pub id: EnvironmentId,
    pub name: String,
    #[serde(default)]
    pub variables: Vec<Variable>,
}

impl Environment {
    pub fn new(name: impl Into<String>) -> Self {
        Self { id: EnvironmentId::new(), name: name.into(), variables: Vec::new() }
    }
}

/// The workspace-wide variables, the widest scope.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Globals {
    #[serde(default)]
    pub id: GlobalsId,
    #[serde(default)]
    pub variables: Vec<Variable>,
}
