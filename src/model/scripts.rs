//! A request's, folder's or collection's Postman-style scripts, kept as the text the user wrote
//! (or imported). [`crate::script`] runs them: pre-request scripts before a send, test scripts
//! after it, in the window and in runs.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scripts {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pre_request: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub test: String,
}

impl Scripts {
    pub fn is_empty(&self) -> bool {
        self.pre_request.is_empty() && self.test.is_empty()
    }

    /// No script has any code (whitespace only counts as none).
    pub fn is_blank(&self) -> bool {
        self.pre_request.trim().is_empty() && self.test.trim().is_empty()
    }
}
