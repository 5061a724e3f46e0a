//! Ids for imported entities: derived from the source's own ids where it has them, so importing
//! the same file twice yields the same ids (and the apply step sees the conflict), fresh otherwise.

use std::collections::HashSet;

use uuid::Uuid;

/// The namespace of every derived id (a fixed, random UUID: it only has to never change).
const IMPORT_NAMESPACE: Uuid = Uuid::from_u128(0x6c6f_6361_6c70_4f73_8e1d_2b9a_53c4_a7e1);

/// Hands out ids for one import. `scope` ties derived ids to their source (the format and, where
/// there is one, the id of the file's top entity), so equal item ids in two different collections
/// do not collide. An id seen twice in one import (a copied item) gets a fresh id the second time.
pub(crate) struct IdMint {
    scope: String,
    used: HashSet<Uuid>,
}

impl IdMint {
    pub fn new(format_tag: &str, scope_id: Option<&str>) -> Self {
        let scope = match scope_id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) => format!("{format_tag}/{id}"),
            None => format_tag.to_owned(),
        };
        Self { scope, used: HashSet::new() }
    }

    /// An id for an entity of `kind` (`request`, `folder`...) whose source id is `source_id`.
    pub fn id(&mut self, kind: &str, source_id: Option<&str>) -> Uuid {
        if let Some(source) = source_id.map(str::trim).filter(|s| !s.is_empty()) {
            let name = format!("{}/{kind}/{source}", self.scope);
            let derived = Uuid::new_v5(&IMPORT_NAMESPACE, name.as_bytes());
            if self.used.insert(derived) {
                return derived;
            }
        }
        self.fresh()
    }

    /// An id derived from a parent's id and a local name (a variable `key#2` of an environment):
    /// stable when the parent's is (derived itself), fresh when the parent's is fresh.
    pub fn child(&mut self, parent: Uuid, local: &str) -> Uuid {
        if parent.get_version_num() != 5 {
            return self.fresh();
        }
        let derived = Uuid::new_v5(&parent, local.as_bytes());
        if self.used.insert(derived) { derived } else { self.fresh() }
    }

    pub fn fresh(&mut self) -> Uuid {
        let id = Uuid::new_v4();
        self.used.insert(id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_and_scoped() {
        let a = IdMint::new("postman", Some("c1")).id("request", Some("r1"));
        let b = IdMint::new("postman", Some("c1")).id("request", Some("r1"));
        let c = IdMint::new("postman", Some("c2")).id("request", Some("r1"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.get_version_num(), 5);
    }

    #[test]
    fn a_repeated_source_id_gets_a_fresh_id() {
        let mut mint = IdMint::new("postman", None);
        let first = mint.id("request", Some("same"));
        let second = mint.id("request", Some("same"));
        assert_ne!(first, second);
        assert_eq!(second.get_version_num(), 4);
    }

    #[test]
    fn no_source_id_means_fresh() {
        let mut mint = IdMint::new("har", None);
        assert_ne!(mint.id("request", None), mint.id("request", Some("  ")));
    }
}
