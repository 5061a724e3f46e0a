//! HAR 1.2.
use super::node::Node;
use crate::interop::{ImportError, Report};
use crate::model::WorkspaceData;
pub(crate) fn import(_node: &Node, _name: &str, _report: &mut Report) -> Result<WorkspaceData, ImportError> { todo!() }
