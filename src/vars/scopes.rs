//! The layered scopes and resolution against them.

use std::sync::Arc;

use indexmap::IndexMap;

use super::{MAX_DEPTH, dynamic};
use crate::model::template;

/// How many times a text is resolved again while references are left in it (Postman's limit).
const MAX_PASSES: usize = 19;
use crate::model::{
    Environment, EnvironmentId, Globals, ItemId, ParentId, RequestId, Variable, WorkspaceData,
};

/// Which kind of scope a value comes from, narrowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScopeKind {
    /// Set during a run (captures) or on the command line (`--var`).
    Runtime,
    /// The current row of a run's data file.
    DataRow,
    Environment,
    Folder,
    Collection,
    Globals,
}

impl ScopeKind {
    pub fn label(self) -> &'static str {
        match self {
            ScopeKind::Runtime => "runtime",
            ScopeKind::DataRow => "data row",
            ScopeKind::Environment => "environment",
            ScopeKind::Folder => "folder",
            ScopeKind::Collection => "collection",
            ScopeKind::Globals => "globals",
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
struct Value {
    value: String,
    secret: bool,
}

/// One layer: a kind, the name shown to the user (the environment's or folder's name), its values.
#[derive(Clone, PartialEq, Eq)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: String,
    values: IndexMap<String, Value>,
}

impl std::fmt::Debug for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets: names only.
        f.debug_struct("Scope")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("keys", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Scope {
    /// The names this scope defines, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    fn from_variables(kind: ScopeKind, name: &str, vars: &[Variable]) -> Self {
        let mut values = IndexMap::with_capacity(vars.len());
        for v in vars.iter().filter(|v| v.enabled && !v.key.is_empty()) {
            // The first enabled definition of a name wins within one scope.
            values.entry(v.key.clone()).or_insert(Value { value: v.value.clone(), secret: v.secret });
        }
        Self { kind, name: name.to_owned(), values }
    }
}

/// Where a name's value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lookup<'a> {
    /// The value as stored: it may itself contain references (see [`Scopes::resolve`]).
    pub value: &'a str,
    pub kind: ScopeKind,
    /// The scope's display name: the environment's, folder's or collection's name.
    pub scope_name: &'a str,
    pub secret: bool,
}

/// The outcome of resolving a text.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    /// The text with every resolvable reference replaced; unresolved ones are left as written.
    pub text: String,
    /// Names no scope defines (and not dynamic), once each, in order of first use.
    pub missing: Vec<String>,
    /// Each cycle found, as the chain of names ending with the repeated one (`[a, b, a]`).
    pub cycles: Vec<Vec<String>>,
    /// Values of secret variables that went into `text` (for redaction in history).
    pub secrets: Vec<String>,
}

impl std::fmt::Debug for Resolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = if self.secrets.is_empty() { self.text.as_str() } else { "(contains secrets)" };
        f.debug_struct("Resolved")
            .field("text", &text)
            .field("missing", &self.missing)
            .field("cycles", &self.cycles)
            .field("secrets", &self.secrets.len())
            .finish()
    }
}

impl Resolved {
    /// Whether everything resolved.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.cycles.is_empty()
    }
}

/// The variables in effect for one send: layers ordered narrowest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scopes {
    /// Shared so cloning the scopes for each request of a run costs a few pointer copies.
    layers: Vec<Arc<Scope>>,
    environment: Option<EnvironmentId>,
}

impl Scopes {
    /// No variables at all.
    pub fn new() -> Self {
        Self::default()
    }

    /// The scopes of a saved request: `environment` (if any), its folders nearest first, its
    /// collection, and the workspace's globals. An unknown environment id is ignored.
    pub fn for_request(ws: &WorkspaceData, request: RequestId, environment: Option<EnvironmentId>) -> Self {
        let mut scopes = Self::new();
        if let Some(env) = environment.and_then(|id| ws.environments.get(&id)) {
            scopes = scopes.with_environment(env);
        }
        scopes.with_container_chain(ws, ItemId::Request(request)).with_globals(&ws.globals)
    }

    /// Adds a layer; layers stay sorted by kind (narrowest first), and within a kind in the
    /// order added.
    #[must_use]
    pub fn with_scope(mut self, scope: Scope) -> Self {
        let at = self.layers.iter().position(|l| l.kind > scope.kind).unwrap_or(self.layers.len());
        self.layers.insert(at, Arc::new(scope));
        self
    }

    /// Adds a layer of plain name/value pairs (data rows, `--var` values, tests).
    #[must_use]
    pub fn with_values<K: Into<String>, V: Into<String>>(
        self,
        kind: ScopeKind,
        name: &str,
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut map = IndexMap::new();
        for (k, v) in values {
            map.entry(k.into()).or_insert(Value { value: v.into(), secret: false });
        }
        self.with_scope(Scope { kind, name: name.to_owned(), values: map })
    }

    /// Adds a layer made of variables (disabled ones skipped).
    #[must_use]
    pub fn with_variables(self, kind: ScopeKind, name: &str, vars: &[Variable]) -> Self {
        self.with_scope(Scope::from_variables(kind, name, vars))
    }

    /// The current data-file row of a run.
    #[must_use]
    pub fn with_data_row<K: Into<String>, V: Into<String>>(
        self,
        row: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.with_values(ScopeKind::DataRow, "data row", row)
    }

    /// The active environment; also keys the OAuth 2.0 token cache.
    #[must_use]
    pub fn with_environment(mut self, env: &Environment) -> Self {
        self.environment = Some(env.id);
        self.with_variables(ScopeKind::Environment, &env.name, &env.variables)
    }

    /// The folders above `item`, nearest first, then its collection.
    #[must_use]
    pub fn with_container_chain(mut self, ws: &WorkspaceData, item: ItemId) -> Self {
        for parent in ws.ancestors(item) {
            match parent {
                ParentId::Folder(id) => {
                    if let Some(f) = ws.folders.get(&id) {
                        self = self.with_variables(ScopeKind::Folder, &f.name, &f.variables);
                    }
                }
                ParentId::Collection(id) => {
                    if let Some(c) = ws.collections.get(&id) {
                        self = self.with_variables(ScopeKind::Collection, &c.name, &c.variables);
                    }
                }
            }
        }
        self
    }

    #[must_use]
    pub fn with_globals(self, globals: &Globals) -> Self {
        self.with_variables(ScopeKind::Globals, "Globals", &globals.variables)
    }

    /// Sets a runtime value (the narrowest scope), creating the runtime layer if needed.
    pub fn set_runtime(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.set(ScopeKind::Runtime, name, value);
    }

    /// Sets a value in the first layer of `kind` (a run's captures into the environment or the
    /// collection), creating that layer if there is none. Shadowing stays as it is: a narrower
    /// layer defining the same name still wins.
    pub fn set(&mut self, kind: ScopeKind, name: impl Into<String>, value: impl Into<String>) {
        let value = Value { value: value.into(), secret: false };
        if let Some(layer) = self.layers.iter_mut().find(|l| l.kind == kind) {
            Arc::make_mut(layer).values.insert(name.into(), value);
            return;
        }
        let mut values = IndexMap::new();
        values.insert(name.into(), value);
        let at = self.layers.iter().position(|l| l.kind > kind).unwrap_or(self.layers.len());
        self.layers.insert(at, Arc::new(Scope { kind, name: kind.label().to_owned(), values }));
    }

    /// Removes `name` from every layer of `kind` (a script's `unset`): a wider scope's value
    /// shows through.
    pub fn unset(&mut self, kind: ScopeKind, name: &str) {
        for layer in self.layers.iter_mut().filter(|l| l.kind == kind && l.values.contains_key(name)) {
            Arc::make_mut(layer).values.shift_remove(name);
        }
    }

    /// Empties every layer of `kind` (a script's `clear`).
    pub fn clear(&mut self, kind: ScopeKind) {
        for layer in self.layers.iter_mut().filter(|l| l.kind == kind) {
            Arc::make_mut(layer).values.clear();
        }
    }

    /// The values of the layers of `kinds`, the narrowest definition of each name winning.
    pub fn values_of(&self, kinds: &[ScopeKind]) -> IndexMap<String, String> {
        let mut out = IndexMap::new();
        for layer in self.layers.iter().filter(|l| kinds.contains(&l.kind)) {
            for (k, v) in &layer.values {
                out.entry(k.clone()).or_insert_with(|| v.value.clone());
            }
        }
        out
    }

    /// The environment these scopes were built with, if any.
    pub fn environment_id(&self) -> Option<EnvironmentId> {
        self.environment
    }

    /// The layers, narrowest first.
    pub fn layers(&self) -> impl Iterator<Item = &Scope> {
        self.layers.iter().map(|l| &**l)
    }

    /// Where `name` is defined: the narrowest enabled definition.
    pub fn lookup(&self, name: &str) -> Option<Lookup<'_>> {
        self.layers.iter().find_map(|layer| {
            layer.values.get(name).map(|v| Lookup {
                value: &v.value,
                kind: layer.kind,
                scope_name: &layer.name,
                secret: v.secret,
            })
        })
    }

    /// Every secret value defined in any scope (non-empty ones).
    pub fn secret_values(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for layer in &self.layers {
            for v in layer.values.values().filter(|v| v.secret && !v.value.is_empty()) {
                if !out.contains(&v.value) {
                    out.push(v.value.clone());
                }
            }
        }
        out
    }

    /// Resolves every reference in `text`; see the [module docs](super).
    pub fn resolve(&self, text: &str) -> Resolved {
        let mut out = Resolved::default();
        if !text.contains("{{") {
            out.text = text.to_owned();
            return out;
        }
        // As Postman: the text is resolved again while a pass changes it and references are
        // left, so a reference built by another (`{{host_{{region}}}}`) resolves too. What is
        // missing is what the last pass left.
        let mut current = text.to_owned();
        for _ in 0..MAX_PASSES {
            let mut pass = Resolved::default();
            let mut buf = String::with_capacity(current.len());
            self.resolve_into(&current, &mut buf, &mut Vec::new(), &mut pass);
            out.secrets.extend(pass.secrets);
            // A loop between variables is reported, not unrolled pass after pass.
            let looped = !pass.cycles.is_empty();
            for cycle in pass.cycles {
                if !out.cycles.contains(&cycle) {
                    out.cycles.push(cycle);
                }
            }
            out.missing = pass.missing;
            let again = !looped && buf != current && buf.contains("{{");
            current = buf;
            if !again {
                break;
            }
        }
        out.text = current;
        out
    }

    fn resolve_into(&self, text: &str, buf: &mut String, stack: &mut Vec<String>, acc: &mut Resolved) {
        let mut last = 0;
        template::scan(text, |name, range| {
            buf.push_str(&text[last..range.start]);
            last = range.end;
            self.resolve_one(name, &text[range], buf, stack, acc);
        });
        buf.push_str(&text[last..]);
    }

    /// Appends the value of one reference (`original` is its `{{...}}` text).
    fn resolve_one(
        &self,
        name: &str,
        original: &str,
        buf: &mut String,
        stack: &mut Vec<String>,
        acc: &mut Resolved,
    ) {
        if let Some(pos) = stack.iter().position(|n| n == name) {
            let mut cycle = stack[pos..].to_vec();
            cycle.push(name.to_owned());
            if !acc.cycles.contains(&cycle) {
                acc.cycles.push(cycle);
            }
            buf.push_str(original);
            return;
        }
        if let Some(found) = self.lookup(name) {
            if !found.value.contains("{{") {
                buf.push_str(found.value);
                if found.secret && !found.value.is_empty() {
                    acc.secrets.push(found.value.to_owned());
                }
                return;
            }
            if stack.len() >= MAX_DEPTH {
                let mut chain = stack.clone();
                chain.push(name.to_owned());
                acc.cycles.push(chain);
                buf.push_str(original);
                return;
            }
            let start = buf.len();
            stack.push(name.to_owned());
            self.resolve_into(found.value, buf, stack, acc);
            stack.pop();
            if found.secret && buf.len() > start {
                acc.secrets.push(buf[start..].to_owned());
            }
            return;
        }
        if let Some(value) = dynamic::generate(name) {
            buf.push_str(&value);
            return;
        }
        if !acc.missing.iter().any(|m| m == name) {
            acc.missing.push(name.to_owned());
        }
        buf.push_str(original);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Collection, Folder, Request, Workspace};

    fn scopes() -> Scopes {
        Scopes::new()
            .with_values(ScopeKind::Globals, "Globals", [("who", "globals"), ("g", "G")])
            .with_values(ScopeKind::Collection, "API", [("who", "collection"), ("c", "C")])
            .with_values(ScopeKind::Environment, "Dev", [("who", "environment"), ("e", "E")])
            .with_values(ScopeKind::DataRow, "row", [("who", "data")])
    }

    #[test]
    fn narrowest_scope_wins() {
        let mut s = scopes();
        assert_eq!(s.resolve("{{who}}").text, "data");
        s.set_runtime("who", "runtime");
        assert_eq!(s.resolve("{{who}}").text, "runtime");
        let found = s.lookup("c").unwrap();
        assert_eq!((found.kind, found.scope_name, found.value), (ScopeKind::Collection, "API", "C"));
        assert_eq!(s.resolve("{{g}}{{c}}{{e}}").text, "GCE");
    }

    #[test]
    fn nested_values_resolve() {
        let s = Scopes::new().with_values(
            ScopeKind::Environment,
            "Dev",
            [("host", "example.com"), ("base", "https://{{host}}"), ("url", "{{base}}/v1")],
        );
        let r = s.resolve("GET {{url}}/x");
        assert_eq!(r.text, "GET https://example.com/v1/x");
        assert!(r.is_complete());
    }

    // Found with newman (postman-echo-hawk-digest-oauth1): a reference whose name is built by
    // another resolves, as in Postman; an inner one that is missing leaves the text as written.
    #[test]
    fn a_reference_built_by_another_resolves() {
        let s = Scopes::new().with_values(
            ScopeKind::Environment,
            "Dev",
            [("var", "variable_value"), ("hello_variable_value", "hello"), ("deep", "{{hello_{{var}}}}")],
        );
        let r = s.resolve("/get/{{hello_{{var}}}} {{deep}}");
        assert_eq!(r.text, "/get/hello hello");
        assert!(r.is_complete(), "{r:?}");
        let r = s.resolve("{{a_{{missing}}}}");
        assert_eq!(
            (r.text.as_str(), r.missing.as_slice()),
            ("{{a_{{missing}}}}", ["missing".to_owned()].as_slice())
        );
        let r = s.resolve("{{x_{{var}}}}");
        assert_eq!(
            (r.text.as_str(), r.missing.as_slice()),
            ("{{x_variable_value}}", ["x_variable_value".to_owned()].as_slice())
        );
    }

    #[test]
    fn cycles_are_reported_not_followed() {
        let s = Scopes::new().with_values(
            ScopeKind::Environment,
            "Dev",
            [("a", "<{{b}}>"), ("b", "{{a}}"), ("self", "{{self}}")],
        );
        let r = s.resolve("{{a}} {{self}}");
        assert_eq!(
            r.cycles,
            vec![
                vec!["a".to_owned(), "b".to_owned(), "a".to_owned()],
                vec!["self".to_owned(), "self".to_owned()]
            ]
        );
        assert_eq!(r.text, "<{{a}}> {{self}}");
    }

    #[test]
    fn missing_names_are_listed_once_and_left_in_place() {
        let r = scopes().resolve("{{x}}-{{y}}-{{x}}-{{$nope}}");
        assert_eq!(r.missing, vec!["x".to_owned(), "y".to_owned(), "$nope".to_owned()]);
        assert_eq!(r.text, "{{x}}-{{y}}-{{x}}-{{$nope}}");
    }

    #[test]
    fn disabled_variables_are_absent_and_secrets_tracked() {
        let vars = vec![Variable::new("a", "off").disabled(), Variable::new("t", "s3cret").secret()];
        let s = Scopes::new().with_variables(ScopeKind::Environment, "Dev", &vars).with_values(
            ScopeKind::Globals,
            "Globals",
            [("a", "on"), ("auth", "Bearer {{t}}")],
        );
        let r = s.resolve("{{a}} {{auth}}");
        assert_eq!(r.text, "on Bearer s3cret");
        assert_eq!(r.secrets, vec!["s3cret".to_owned()]);
        assert!(!format!("{r:?}").contains("s3cret"));
        assert_eq!(s.secret_values(), vec!["s3cret".to_owned()]);
    }

    #[test]
    fn dynamic_variables_are_fresh_per_occurrence() {
        let r = Scopes::new().resolve("{{$guid}} {{$guid}}");
        let parts: Vec<&str> = r.text.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_ne!(parts[0], parts[1]);
        assert!(uuid::Uuid::parse_str(parts[0]).is_ok());
    }

    #[test]
    fn nearest_folder_wins_over_outer_folder_and_collection() {
        let mut ws = WorkspaceData::new(Workspace::new("W"));
        let mut c = Collection::new("C");
        c.variables = vec![Variable::new("v", "collection"), Variable::new("only_c", "c")];
        let mut outer = Folder::new("outer");
        outer.variables = vec![Variable::new("v", "outer"), Variable::new("o", "outer")];
        let mut inner = Folder::new("inner");
        inner.variables = vec![Variable::new("v", "inner")];
        let req = Request::new("r");
        inner.children.push(ItemId::Request(req.id));
        outer.children.push(ItemId::Folder(inner.id));
        c.children.push(ItemId::Folder(outer.id));
        ws.globals.variables = vec![Variable::new("v", "globals"), Variable::new("gl", "g")];
        let mut env = Environment::new("Dev");
        env.variables = vec![Variable::new("e", "env")];
        let env_id = env.id;
        ws.environments.insert(env.id, env);
        ws.requests.insert(req.id, req.clone());
        ws.folders.insert(outer.id, outer);
        ws.folders.insert(inner.id, inner);
        ws.collections.insert(c.id, c);
        let s = Scopes::for_request(&ws, req.id, Some(env_id));
        assert_eq!(s.resolve("{{v}} {{o}} {{only_c}} {{gl}} {{e}}").text, "inner outer c g env");
        assert_eq!(s.lookup("v").unwrap().scope_name, "inner");
        assert_eq!(s.environment_id(), Some(env_id));
        let kinds: Vec<_> = s.layers().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![
                ScopeKind::Environment,
                ScopeKind::Folder,
                ScopeKind::Folder,
                ScopeKind::Collection,
                ScopeKind::Globals
            ]
        );
    }
}
