//! OpenAPI.
use super::node::Node;
use crate::interop::{Format, ImportError, Report};
use crate::model::WorkspaceData;
pub(crate) fn import(_node: &Node, _f: Format, _name: &str, _report: &mut Report) -> Result<WorkspaceData, ImportError> { todo!() }
