//! Checks a variables JSON object against the variable definitions of an operation, the way a
//! server coerces variables (GraphQL spec, "Coercing Variable Values"), before the request goes.

use std::fmt::Write as _;

use apollo_compiler::ExecutableDocument;
use apollo_compiler::ast::Type;
use apollo_compiler::executable::Operation;
use apollo_compiler::schema::ExtendedType;
use serde_json::Value;

use super::Schema;

/// One problem with the variables of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableProblem {
    /// `$id`, or empty when the problem is with the whole document.
    pub name: String,
    /// What is wrong, worded for the user.
    pub message: String,
}

impl VariableProblem {
    fn whole(message: impl Into<String>) -> Self {
        Self { name: String::new(), message: message.into() }
    }
}

/// Problems of `variables_json` for the operation named `operation_name` (or the only operation)
/// in `query`; empty means the variables fit. An empty or blank `variables_json` is `{}`.
/// Problems in the query itself are [`super::validate`]'s, not repeated here.
#[must_use]
pub fn check_variables(
    schema: &Schema,
    query: &str,
    operation_name: Option<&str>,
    variables_json: &str,
) -> Vec<VariableProblem> {
    let document = match ExecutableDocument::parse(schema.valid(), query, "query.graphql") {
        Ok(document) => document,
        Err(with_errors) => with_errors.partial,
    };
    let operation = match pick_operation(&document, operation_name) {
        Ok(operation) => operation,
        Err(problem) => return vec![problem],
    };
    let variables = match parse_variables(variables_json) {
        Ok(variables) => variables,
        Err(problem) => return vec![problem],
    };
    let checker = Checker { schema };
    let mut problems = Vec::new();
    for definition in &operation.variables {
        let name = format!("${}", definition.name);
        match variables.get(definition.name.as_str()) {
            None if definition.ty.is_non_null() && definition.default_value.is_none() => {
                problems.push(VariableProblem {
                    message: format!("{name} is required ({}) but missing", definition.ty),
                    name,
                });
            }
            None => {}
            Some(value) => {
                let mut messages = Vec::new();
                checker.check(&definition.ty, value, &name, &mut messages);
                problems.extend(
                    messages.into_iter().map(|message| VariableProblem { name: name.clone(), message }),
                );
            }
        }
    }
    let operation_label =
        operation.name.as_ref().map_or_else(|| String::from("the operation"), |n| format!("operation {n}"));
    for key in variables.keys() {
        if !operation.variables.iter().any(|d| d.name.as_str() == key) {
            problems.push(VariableProblem {
                name: format!("${key}"),
                message: format!("${key} is not a variable of {operation_label}"),
            });
        }
    }
    problems
}

fn pick_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Result<&'a Operation, VariableProblem> {
    let operations = &document.operations;
    if let Some(wanted) = operation_name.filter(|n| !n.is_empty()) {
        return operations
            .named
            .get(wanted)
            .map(|o| &**o)
            .ok_or_else(|| VariableProblem::whole(format!("the document has no operation named {wanted}")));
    }
    match (&operations.anonymous, operations.named.len()) {
        (Some(anonymous), 0) => Ok(anonymous),
        (None, 1) => operations
            .named
            .values()
            .next()
            .map(|o| &**o)
            .ok_or_else(|| VariableProblem::whole("the document has no operation")),
        (None, 0) => Err(VariableProblem::whole("the document has no operation")),
        _ => {
            let names: Vec<&str> = operations.named.keys().map(apollo_compiler::Name::as_str).collect();
            Err(VariableProblem::whole(format!(
                "the document has several operations: choose one to run ({})",
                names.join(", ")
            )))
        }
    }
}

fn parse_variables(json: &str) -> Result<serde_json::Map<String, Value>, VariableProblem> {
    if json.trim().is_empty() {
        return Ok(serde_json::Map::new());
    }
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(serde_json::Map::new()),
        Ok(other) => Err(VariableProblem::whole(format!(
            "variables are not a JSON object (found {})",
            crate::interop::json_kind(&other)
        ))),
        Err(e) => Err(VariableProblem::whole(format!(
            "variables are not valid JSON (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))),
    }
}

/// A value as the user wrote it, cut short for a message.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 40 {
        return text;
    }
    let mut short: String = text.chars().take(37).collect();
    short.push('…');
    short
}

struct Checker<'a> {
    schema: &'a Schema,
}

impl Checker<'_> {
    /// Checks `value` against `ty`; `path` names the place (`$input.owner.id`, `$ids[2]`).
    fn check(&self, ty: &Type, value: &Value, path: &str, out: &mut Vec<String>) {
        if value.is_null() {
            if ty.is_non_null() {
                out.push(format!("{path} expects {ty}, got null"));
            }
            return;
        }
        match ty {
            Type::List(item) | Type::NonNullList(item) => match value {
                Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        self.check(item, v, &format!("{path}[{i}]"), out);
                    }
                }
                // Input coercion accepts a single value where a list is expected.
                single => self.check(item, single, path, out),
            },
            Type::Named(name) | Type::NonNullNamed(name) => {
                self.check_named(ty, name.as_str(), value, path, out);
            }
        }
    }

    fn check_named(&self, ty: &Type, name: &str, value: &Value, path: &str, out: &mut Vec<String>) {
        let wrong = |out: &mut Vec<String>| out.push(format!("{path} expects {ty}, got {}", shown(value)));
        match self.schema.valid().types.get(name) {
            Some(ExtendedType::Scalar(_)) => {
                let fits = match name {
                    "Int" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
                    "Float" => value.is_number(),
                    "String" => value.is_string(),
                    "Boolean" => value.is_boolean(),
                    "ID" => value.is_string() || value.is_i64() || value.is_u64(),
                    // A custom scalar's rules are the server's.
                    _ => true,
                };
                if !fits {
                    wrong(out);
                }
            }
            Some(ExtendedType::Enum(enumeration)) => {
                let known = value.as_str().is_some_and(|s| enumeration.values.contains_key(s));
                if !known {
                    let mut message = format!("{path} expects {ty}, got {}", shown(value));
                    let values: Vec<&str> =
                        enumeration.values.keys().take(8).map(apollo_compiler::Name::as_str).collect();
                    let more = if enumeration.values.len() > values.len() { ", …" } else { "" };
                    let _ = write!(message, " (one of {}{more})", values.join(", "));
                    out.push(message);
                }
            }
            Some(ExtendedType::InputObject(input)) => {
                let Value::Object(map) = value else {
                    wrong(out);
                    return;
                };
                for (field_name, field) in &input.fields {
                    let field_path = format!("{path}.{field_name}");
                    match map.get(field_name.as_str()) {
                        None if field.ty.is_non_null() && field.default_value.is_none() => {
                            out.push(format!("{field_path} is required ({}) but missing", field.ty));
                        }
                        None => {}
                        Some(v) => self.check(&field.ty, v, &field_path, out),
                    }
                }
                for key in map.keys() {
                    if !input.fields.contains_key(key.as_str()) {
                        out.push(format!("{path}.{key} is not a field of {name}"));
                    }
                }
            }
            // An output type or an unknown type: validate() reports the definition.
            _ => {}
        }
    }
}
