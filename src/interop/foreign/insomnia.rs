//! Insomnia.
use super::node::Node;
use crate::interop::{ImportError, Report};
use crate::model::{Cookie, WorkspaceData};
pub(crate) fn import_v4(_node: &Node, _name: &str, _report: &mut Report) -> Result<(Vec<WorkspaceData>, Vec<Cookie>), ImportError> { todo!() }
pub(crate) fn import_v5(_node: &Node, _name: &str, _report: &mut Report) -> Result<(Vec<WorkspaceData>, Vec<Cookie>), ImportError> { todo!() }
