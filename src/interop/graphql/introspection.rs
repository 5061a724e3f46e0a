//! Introspection: the query that asks a server for its schema, and the conversion of the answer
//! (JSON) to SDL that apollo-compiler reads.
//!
//! The conversion is tolerant of old servers: descriptions, deprecations, directives, default
//! values, `isRepeatable` and `specifiedByURL` may all be missing; directive locations may be
//! given as the old `onOperation`/`onFragment`/`onField` booleans. What a schema cannot do
//! without (a type's `kind` and `name`, a field's `type`, the query root) is reported with its
//! JSON path.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;

use super::SchemaError;

/// The standard full introspection query (as GraphiQL, Insomnia and Postman send it):
/// descriptions, deprecations of fields and enum values, arguments with defaults, input fields,
/// enum values, directives, interfaces, possible types, and type references nested eight levels
/// deep (`[[Int!]!]!` needs six). It asks nothing that older servers reject
/// (`isRepeatable`, `specifiedByURL`, `includeDeprecated` on arguments).
pub const INTROSPECTION_QUERY: &str = r"query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives {
      name
      description
      locations
      args { ...InputValue }
    }
  }
}

fragment FullType on __Type {
  kind
  name
  description
  fields(includeDeprecated: true) {
    name
    description
    args { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) {
    name
    description
    isDeprecated
    deprecationReason
  }
  possibleTypes { ...TypeRef }
}

fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
}

fragment TypeRef on __Type {
  kind
  name
  ofType {
    kind
    name
    ofType {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                }
              }
            }
          }
        }
      }
    }
  }
}
";

/// Scalars and directives every GraphQL schema has; apollo-compiler adds them itself and
/// refuses a redefinition.
const BUILT_IN_SCALARS: [&str; 5] = ["Int", "Float", "String", "Boolean", "ID"];
const BUILT_IN_DIRECTIVES: [&str; 4] = ["skip", "include", "deprecated", "specifiedBy"];

/// How deep a type reference may nest before it is called malformed (a real one is under 10).
const MAX_TYPE_DEPTH: usize = 32;

/// Converts an introspection answer to SDL.
pub(super) fn to_sdl(json: &[u8]) -> Result<String, SchemaError> {
    let root = parse_json(json)?;
    let schema = find_schema(&root)?;
    Converter::default().convert(schema)
}

/// Parses the body, telling an HTML page and plain junk apart.
fn parse_json(json: &[u8]) -> Result<Value, SchemaError> {
    serde_json::from_slice(json).map_err(|e| {
        let head = String::from_utf8_lossy(&json[..json.len().min(512)]).to_ascii_lowercase();
        let head = head.trim_start();
        if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body") {
            SchemaError::Html
        } else {
            SchemaError::NotJson { line: e.line(), column: e.column(), message: e.to_string() }
        }
    })
}

/// `data.__schema`, or `__schema` at the top; otherwise the server's errors or [`SchemaError::NoSchema`].
fn find_schema(root: &Value) -> Result<&Value, SchemaError> {
    let schema = root
        .get("data")
        .and_then(|d| d.get("__schema"))
        .or_else(|| root.get("__schema"))
        .filter(|s| s.is_object());
    if let Some(schema) = schema {
        return Ok(schema);
    }
    if let Some(errors) = root.get("errors").and_then(Value::as_array).filter(|e| !e.is_empty()) {
        let messages: Vec<String> = errors
            .iter()
            .map(|e| match e.get("message").and_then(Value::as_str) {
                Some(m) => m.to_owned(),
                None => e.to_string(),
            })
            .collect();
        return Err(SchemaError::ServerErrors(messages.join("; ")));
    }
    Err(SchemaError::NoSchema)
}

fn malformed(path: impl Into<String>, message: impl Into<String>) -> SchemaError {
    SchemaError::Malformed { path: path.into(), message: message.into() }
}

/// A string literal in GraphQL syntax (JSON's escapes are a subset of GraphQL's).
fn string_literal(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A GraphQL name: `[_A-Za-z][_0-9A-Za-z]*`.
fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// Builds the SDL text and remembers the type references to check at the end.
#[derive(Default)]
struct Converter {
    out: String,
    defined: BTreeSet<String>,
    /// (owner, referenced type name) pairs.
    references: Vec<(String, String)>,
}

impl Converter {
    fn convert(mut self, schema: &Value) -> Result<String, SchemaError> {
        let Some(types) = schema.get("types").and_then(Value::as_array) else {
            return Err(malformed("__schema.types", "is missing (the introspection result has no types)"));
        };
        self.schema_definition(schema)?;
        for (i, ty) in types.iter().enumerate() {
            self.named_type(ty, &format!("__schema.types[{i}]"))?;
        }
        for (i, directive) in array(schema, "directives").iter().enumerate() {
            self.directive(directive, &format!("__schema.directives[{i}]"))?;
        }
        for (owner, missing) in &self.references {
            if !self.defined.contains(missing) && !BUILT_IN_SCALARS.contains(&missing.as_str()) {
                return Err(SchemaError::UndefinedType { owner: owner.clone(), missing: missing.clone() });
            }
        }
        Ok(self.out)
    }

    fn schema_definition(&mut self, schema: &Value) -> Result<(), SchemaError> {
        let root = |key: &str| schema.get(key).and_then(|t| str_field(t, "name")).map(str::to_owned);
        let Some(query) = root("queryType") else {
            return Err(malformed("__schema.queryType", "is missing: a schema needs a query type"));
        };
        self.out.push_str("schema {\n");
        for (op, name) in [
            ("query", Some(query)),
            ("mutation", root("mutationType")),
            ("subscription", root("subscriptionType")),
        ] {
            if let Some(name) = name {
                let _ = writeln!(self.out, "  {op}: {name}");
                self.references.push((format!("the schema's {op} root"), name));
            }
        }
        self.out.push_str("}\n\n");
        Ok(())
    }

    fn description(&mut self, v: &Value, indent: &str) {
        if let Some(d) = str_field(v, "description").filter(|d| !d.is_empty()) {
            let _ = writeln!(self.out, "{indent}{}", string_literal(d));
        }
    }

    fn deprecated(&mut self, v: &Value) {
        let deprecated = v.get("isDeprecated").and_then(Value::as_bool).unwrap_or(false);
        let reason = str_field(v, "deprecationReason");
        if deprecated || reason.is_some() {
            match reason {
                Some(r) => {
                    let _ = write!(self.out, " @deprecated(reason: {})", string_literal(r));
                }
                None => self.out.push_str(" @deprecated"),
            }
        }
    }

    fn named_type(&mut self, ty: &Value, path: &str) -> Result<(), SchemaError> {
        let Some(name) = str_field(ty, "name") else {
            return Err(malformed(format!("{path}.name"), "is missing"));
        };
        if !is_name(name) {
            return Err(malformed(format!("{path}.name"), format!("{name:?} is not a GraphQL name")));
        }
        let Some(kind) = str_field(ty, "kind") else {
            return Err(malformed(format!("{path}.kind"), format!("is missing for type {name}")));
        };
        if name.starts_with("__") || (kind == "SCALAR" && BUILT_IN_SCALARS.contains(&name)) {
            return Ok(());
        }
        if !self.defined.insert(name.to_owned()) {
            return Err(malformed(path, format!("type {name} is defined twice")));
        }
        self.description(ty, "");
        match kind {
            "OBJECT" | "INTERFACE" => self.object_like(ty, name, kind, path),
            "UNION" => self.union(ty, name, path),
            "ENUM" => self.enumeration(ty, name, path),
            "INPUT_OBJECT" => self.input_object(ty, name, path),
            "SCALAR" => {
                let _ = write!(self.out, "scalar {name}");
                let url = str_field(ty, "specifiedByURL").or_else(|| str_field(ty, "specifiedByUrl"));
                if let Some(url) = url {
                    let _ = write!(self.out, " @specifiedBy(url: {})", string_literal(url));
                }
                self.out.push_str("\n\n");
                Ok(())
            }
            other => Err(malformed(
                format!("{path}.kind"),
                format!("{other:?} is not a kind of named type (type {name})"),
            )),
        }
    }

    fn object_like(&mut self, ty: &Value, name: &str, kind: &str, path: &str) -> Result<(), SchemaError> {
        let keyword = if kind == "OBJECT" { "type" } else { "interface" };
        let _ = write!(self.out, "{keyword} {name}");
        let mut interfaces = Vec::new();
        for (i, interface) in array(ty, "interfaces").iter().enumerate() {
            let named = self.type_ref(interface, &format!("{path}.interfaces[{i}]"), 0)?;
            self.references.push((format!("type {name}"), named.clone()));
            interfaces.push(named);
        }
        if !interfaces.is_empty() {
            let _ = write!(self.out, " implements {}", interfaces.join(" & "));
        }
        let fields = array(ty, "fields");
        if fields.is_empty() {
            return Err(malformed(format!("{path}.fields"), format!("{keyword} {name} has no fields")));
        }
        self.out.push_str(" {\n");
        for (i, field) in fields.iter().enumerate() {
            let field_path = format!("{path}.fields[{i}]");
            let Some(field_name) = str_field(field, "name").filter(|n| is_name(n)) else {
                return Err(malformed(format!("{field_path}.name"), "is missing or not a GraphQL name"));
            };
            self.description(field, "  ");
            let _ = write!(self.out, "  {field_name}");
            let owner = format!("field {name}.{field_name}");
            self.arguments(array(field, "args"), &owner, &field_path)?;
            let ty_text = self.reference(field, &owner, &field_path)?;
            let _ = write!(self.out, ": {ty_text}");
            self.deprecated(field);
            self.out.push('\n');
        }
        self.out.push_str("}\n\n");
        Ok(())
    }

    /// `(a: Int = 1, b: String)` for a field or directive; nothing when there are none.
    fn arguments(&mut self, args: &[Value], owner: &str, path: &str) -> Result<(), SchemaError> {
        if args.is_empty() {
            return Ok(());
        }
        self.out.push('(');
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.input_value(arg, owner, &format!("{path}.args[{i}]"))?;
        }
        self.out.push(')');
        Ok(())
    }

    /// `name: Type = default` with its description, for arguments and input fields.
    fn input_value(&mut self, v: &Value, owner: &str, path: &str) -> Result<(), SchemaError> {
        let Some(name) = str_field(v, "name").filter(|n| is_name(n)) else {
            return Err(malformed(format!("{path}.name"), "is missing or not a GraphQL name"));
        };
        if let Some(d) = str_field(v, "description").filter(|d| !d.is_empty()) {
            let _ = write!(self.out, "{} ", string_literal(d));
        }
        let ty_text = self.reference(v, &format!("{owner}({name}:)"), path)?;
        let _ = write!(self.out, "{name}: {ty_text}");
        if let Some(default) = str_field(v, "defaultValue") {
            let _ = write!(self.out, " = {default}");
        }
        self.deprecated(v);
        Ok(())
    }

    /// The `type` of a field or input value as GraphQL text; records the named type as used.
    fn reference(&mut self, v: &Value, owner: &str, path: &str) -> Result<String, SchemaError> {
        let Some(ty) = v.get("type") else {
            return Err(malformed(format!("{path}.type"), format!("is missing ({owner})")));
        };
        let mut named = String::new();
        let text = type_text(ty, &format!("{path}.type"), 0, &mut named)?;
        self.references.push((owner.to_owned(), named));
        Ok(text)
    }

    /// The named type of a reference that must not be wrapped (interfaces, union members).
    fn type_ref(&self, v: &Value, path: &str, depth: usize) -> Result<String, SchemaError> {
        let mut named = String::new();
        let text = type_text(v, path, depth, &mut named)?;
        if text == named {
            Ok(named)
        } else {
            Err(malformed(path, format!("expected a named type, found {text}")))
        }
    }

    fn union(&mut self, ty: &Value, name: &str, path: &str) -> Result<(), SchemaError> {
        let mut members = Vec::new();
        for (i, member) in array(ty, "possibleTypes").iter().enumerate() {
            let named = self.type_ref(member, &format!("{path}.possibleTypes[{i}]"), 0)?;
            self.references.push((format!("union {name}"), named.clone()));
            members.push(named);
        }
        if members.is_empty() {
            return Err(malformed(
                format!("{path}.possibleTypes"),
                format!("union {name} has no member types"),
            ));
        }
        let _ = write!(self.out, "union {name} = {}\n\n", members.join(" | "));
        Ok(())
    }

    fn enumeration(&mut self, ty: &Value, name: &str, path: &str) -> Result<(), SchemaError> {
        let values = array(ty, "enumValues");
        if values.is_empty() {
            return Err(malformed(format!("{path}.enumValues"), format!("enum {name} has no values")));
        }
        let _ = writeln!(self.out, "enum {name} {{");
        for (i, value) in values.iter().enumerate() {
            let Some(value_name) = str_field(value, "name").filter(|n| is_name(n)) else {
                return Err(malformed(
                    format!("{path}.enumValues[{i}].name"),
                    "is missing or not a GraphQL name",
                ));
            };
            self.description(value, "  ");
            let _ = write!(self.out, "  {value_name}");
            self.deprecated(value);
            self.out.push('\n');
        }
        self.out.push_str("}\n\n");
        Ok(())
    }

    fn input_object(&mut self, ty: &Value, name: &str, path: &str) -> Result<(), SchemaError> {
        let fields = array(ty, "inputFields");
        if fields.is_empty() {
            return Err(malformed(format!("{path}.inputFields"), format!("input {name} has no fields")));
        }
        let _ = writeln!(self.out, "input {name} {{");
        for (i, field) in fields.iter().enumerate() {
            self.out.push_str("  ");
            self.input_value(field, &format!("input {name}"), &format!("{path}.inputFields[{i}]"))?;
            self.out.push('\n');
        }
        self.out.push_str("}\n\n");
        Ok(())
    }

    fn directive(&mut self, d: &Value, path: &str) -> Result<(), SchemaError> {
        let Some(name) = str_field(d, "name").filter(|n| is_name(n)) else {
            return Err(malformed(format!("{path}.name"), "is missing or not a GraphQL name"));
        };
        if BUILT_IN_DIRECTIVES.contains(&name) {
            return Ok(());
        }
        let locations = directive_locations(d);
        if locations.is_empty() {
            // A directive usable nowhere cannot be written in SDL, and nothing can use it.
            return Ok(());
        }
        self.description(d, "");
        let _ = write!(self.out, "directive @{name}");
        self.arguments(array(d, "args"), &format!("directive @{name}"), path)?;
        if d.get("isRepeatable").and_then(Value::as_bool).unwrap_or(false) {
            self.out.push_str(" repeatable");
        }
        let _ = write!(self.out, " on {}\n\n", locations.join(" | "));
        Ok(())
    }
}

/// A directive's locations, from `locations` or from the old `onOperation`/`onFragment`/`onField`.
fn directive_locations(d: &Value) -> Vec<String> {
    if let Some(list) = d.get("locations").and_then(Value::as_array) {
        return list.iter().filter_map(Value::as_str).filter(|l| is_name(l)).map(str::to_owned).collect();
    }
    let flag = |key: &str| d.get(key).and_then(Value::as_bool).unwrap_or(false);
    let mut locations = Vec::new();
    if flag("onOperation") {
        locations.extend(["QUERY", "MUTATION", "SUBSCRIPTION"].map(String::from));
    }
    if flag("onFragment") {
        locations.extend(["FRAGMENT_SPREAD", "INLINE_FRAGMENT", "FRAGMENT_DEFINITION"].map(String::from));
    }
    if flag("onField") {
        locations.push(String::from("FIELD"));
    }
    locations
}

/// A type reference (`{kind, name, ofType}`) as GraphQL text; the innermost name goes to `named`.
fn type_text(v: &Value, path: &str, depth: usize, named: &mut String) -> Result<String, SchemaError> {
    if depth > MAX_TYPE_DEPTH {
        return Err(malformed(path, "the type reference nests too deep"));
    }
    let kind = str_field(v, "kind").unwrap_or("");
    let inner = || v.get("ofType").filter(|o| o.is_object());
    match kind {
        "NON_NULL" | "LIST" => {
            let Some(of) = inner() else {
                return Err(malformed(
                    format!("{path}.ofType"),
                    format!("a {kind} type needs ofType (the introspection query may not go deep enough)"),
                ));
            };
            let text = type_text(of, &format!("{path}.ofType"), depth + 1, named)?;
            if kind == "LIST" {
                Ok(format!("[{text}]"))
            } else if text.ends_with('!') {
                Err(malformed(path, "NON_NULL wraps another NON_NULL"))
            } else {
                Ok(format!("{text}!"))
            }
        }
        _ => match str_field(v, "name").filter(|n| is_name(n)) {
            Some(name) => {
                name.clone_into(named);
                Ok(name.to_owned())
            }
            None => Err(malformed(format!("{path}.name"), "a type reference has no name")),
        },
    }
}
