//! GraphQL schemas: read one from an introspection response or from SDL, describe its types for
//! the schema explorer, check a query against it, complete a query as the user types, and check
//! an operation's variables. Pure functions over text: fetching and caching live in the app layer.
//!
//! Parsing and validation of SDL and executable documents are apollo-compiler's; the conversion
//! from introspection JSON to a schema ([`introspection`]), the explorer's view of types
//! ([`TypeInfo`]), completion ([`completions`]) and the variables check ([`check_variables`])
//! are ours.

mod complete;
mod describe;
mod introspection;
mod scan;
mod validate;
mod variables;

use apollo_compiler::validation::Valid;

/// apollo-compiler's validated schema.
type Compiled = Valid<apollo_compiler::Schema>;

pub use complete::{Completion, CompletionKind, Completions, completions};
pub use introspection::INTROSPECTION_QUERY;
pub use validate::{Diagnostic, validate};
pub use variables::{VariableProblem, check_variables};

/// A schema that parsed and passed validation; cheap to clone (the parsed schema is shared).
#[derive(Clone, Debug)]
pub struct Schema {
    /// The validated schema, shared between clones.
    inner: std::sync::Arc<Valid<apollo_compiler::Schema>>,
    /// Problems the schema was accepted with (a field defined twice), worded for the user.
    warnings: std::sync::Arc<Vec<String>>,
}

/// Why a schema could not be read, worded for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// The bytes are not JSON at all (an HTML error page, a proxy's message, truncated text).
    #[error("the response is not JSON (line {line}, column {column}): {message}")]
    NotJson {
        /// 1-based line of the first error.
        line: usize,
        /// 1-based column of the first error.
        column: usize,
        /// serde_json's description of the problem.
        message: String,
    },
    /// The response looks like an HTML page rather than a GraphQL answer.
    #[error("the response is an HTML page, not a GraphQL answer: is the URL the GraphQL endpoint?")]
    Html,
    /// The server answered with a GraphQL `errors` list and no schema.
    #[error("the server answered with errors: {0}")]
    ServerErrors(String),
    /// JSON, but no `data.__schema` (or top-level `__schema`) object.
    #[error("the response has no data.__schema: is this a GraphQL endpoint?")]
    NoSchema,
    /// `__schema` is there but a part the schema needs is missing or has the wrong shape.
    #[error("the introspection result is malformed at {path}: {message}")]
    Malformed {
        /// Where in the JSON, e.g. `__schema.types[3].fields[0].type`.
        path: String,
        /// What is wrong there.
        message: String,
    },
    /// A type, field or argument refers to a type the schema does not define.
    #[error("{owner} refers to {missing}, which is not defined")]
    UndefinedType {
        /// The type (or `Type.field`) holding the reference.
        owner: String,
        /// The name of the missing type.
        missing: String,
    },
    /// The SDL does not parse, or the schema it describes is not valid.
    #[error("the schema is not valid: {0}")]
    Invalid(String),
}

/// The names of the root operation types.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roots {
    /// The query root type (e.g. `Query` or `Root`), if the schema has one.
    pub query: Option<String>,
    /// The mutation root type, if any.
    pub mutation: Option<String>,
    /// The subscription root type, if any.
    pub subscription: Option<String>,
}

/// What kind of named type a [`TypeInfo`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeKind {
    /// An object type with fields.
    Object,
    /// An interface with fields, implemented by objects (or other interfaces).
    Interface,
    /// A union of object types.
    Union,
    /// An enum with a fixed list of values.
    Enum,
    /// An input object, used for arguments and variables.
    InputObject,
    /// A scalar: built-in (`Int`, `String`, …) or custom (`DateTime`).
    Scalar,
}

/// One named type of a schema, as the schema explorer shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeInfo {
    /// The type's name.
    pub name: String,
    /// Object, interface, union, enum, input object or scalar.
    pub kind: TypeKind,
    /// The type's description, if the schema has one.
    pub description: Option<String>,
    /// Fields of an object or interface, or input fields of an input object (in schema order).
    pub fields: Vec<FieldInfo>,
    /// Values of an enum (in schema order).
    pub enum_values: Vec<EnumValueInfo>,
    /// Members of a union, or the object types implementing an interface (sorted).
    pub possible_types: Vec<String>,
    /// Interfaces an object or interface implements.
    pub interfaces: Vec<String>,
}

/// A field of an object or interface, or an input field of an input object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    /// The field's name.
    pub name: String,
    /// Its type as written in GraphQL, e.g. `[Film!]!`.
    pub type_text: String,
    /// The named type inside the wrappers, e.g. `Film`.
    pub type_name: String,
    /// The field's arguments (empty for input fields).
    pub args: Vec<ArgInfo>,
    /// The field's description, if any.
    pub description: Option<String>,
    /// `Some(reason)` when the field is deprecated (the reason may be empty).
    pub deprecated: Option<String>,
}

/// An argument of a field (or a directive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgInfo {
    /// The argument's name.
    pub name: String,
    /// Its type as written in GraphQL, e.g. `ID!`.
    pub type_text: String,
    /// Its default value as GraphQL text, if it has one.
    pub default: Option<String>,
    /// Its description, if any.
    pub description: Option<String>,
}

/// A value of an enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValueInfo {
    /// The value's name.
    pub name: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// `Some(reason)` when the value is deprecated.
    pub deprecated: Option<String>,
}

impl Schema {
    /// Reads a schema from an introspection answer: a whole HTTP response body
    /// (`{"data":{"__schema":…}}`) or just `{"__schema":…}`.
    ///
    /// # Errors
    /// A [`SchemaError`] saying what is wrong with the bytes, worded for the user.
    pub fn from_introspection(json: &[u8]) -> Result<Schema, SchemaError> {
        let sdl = introspection::to_sdl(json)?;
        Schema::from_sdl(&sdl).map_err(|e| match e {
            SchemaError::Invalid(message) => SchemaError::Invalid(format!(
                "{message} (lines of the SDL made from the introspection result)"
            )),
            other => other,
        })
    }

    /// Reads a schema from SDL (the cache format, or a user's `.graphql` file).
    ///
    /// # Errors
    /// [`SchemaError::Invalid`] with the first problems found and their lines.
    pub fn from_sdl(sdl: &str) -> Result<Schema, SchemaError> {
        describe::parse_sdl(sdl).map(|(valid, warnings)| Schema {
            inner: std::sync::Arc::new(valid),
            warnings: std::sync::Arc::new(warnings),
        })
    }

    /// Problems the schema was accepted with despite the GraphQL rules (a field defined twice,
    /// as some real servers publish; the first definition is kept). Empty for a clean schema.
    #[must_use]
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The schema as SDL; [`Schema::from_sdl`] reads it back to the same schema.
    #[must_use]
    pub fn to_sdl(&self) -> String {
        self.inner.to_string()
    }

    /// Every type a user would browse (built-in introspection types left out): root types first
    /// (query, mutation, subscription), then the rest by name.
    #[must_use]
    pub fn types(&self) -> Vec<TypeInfo> {
        describe::types(self.valid())
    }

    /// One type by name, or `None` if the schema has no such type.
    #[must_use]
    pub fn type_info(&self, name: &str) -> Option<TypeInfo> {
        describe::type_info(self.valid(), name)
    }

    /// The names of the root operation types.
    #[must_use]
    pub fn roots(&self) -> Roots {
        let s = self.valid();
        let name =
            |n: &Option<apollo_compiler::schema::ComponentName>| n.as_ref().map(|c| c.name.to_string());
        Roots {
            query: name(&s.schema_definition.query),
            mutation: name(&s.schema_definition.mutation),
            subscription: name(&s.schema_definition.subscription),
        }
    }

    /// The validated apollo-compiler schema (for the other modules of this one).
    fn valid(&self) -> &Valid<apollo_compiler::Schema> {
        &self.inner
    }
}

#[cfg(test)]
mod tests;
