//! The schema explorer's view of a schema: apollo-compiler's types turned into [`TypeInfo`].

use apollo_compiler::ast::{DirectiveList, FieldDefinition, InputValueDefinition};
use apollo_compiler::schema::{ExtendedType, Implementers};
use apollo_compiler::validation::Valid;
use apollo_compiler::{Name, Node};
use std::fmt::Write as _;

use super::{ArgInfo, EnumValueInfo, FieldInfo, SchemaError, TypeInfo, TypeKind};

use super::Compiled;

/// Parses and validates SDL; the message lists the first problems with their lines.
///
/// Real servers publish schemas with a field defined twice (GitHub's, in 2025); graphql-js
/// serves them and GraphiQL reads them. Such a schema is accepted with the first definition,
/// and the problems are returned as warnings. Any other problem refuses the schema.
pub(super) fn parse_sdl(sdl: &str) -> Result<(Compiled, Vec<String>), SchemaError> {
    let with_errors = match apollo_compiler::Schema::parse_and_validate(sdl, "schema.graphql") {
        Ok(valid) => return Ok((valid, Vec::new())),
        Err(with_errors) => with_errors,
    };
    let problems: Vec<String> = with_errors
        .errors
        .iter()
        .map(|d| match d.line_column_range() {
            Some(range) => format!("line {}, column {}: {}", range.start.line, range.start.column, d.error),
            None => d.error.to_string(),
        })
        .collect();
    let benign =
        with_errors.errors.iter().all(|d| d.error.to_string().starts_with("duplicate definitions for"));
    if benign {
        return Ok((Valid::assume_valid(with_errors.partial), problems));
    }
    let mut message = problems.iter().take(5).cloned().collect::<Vec<_>>().join("; ");
    if problems.len() > 5 {
        let _ = write!(message, " (and {} more)", problems.len() - 5);
    }
    Err(SchemaError::Invalid(message))
}

/// Every non-introspection type, root types first (query, mutation, subscription), then by name.
pub(super) fn types(schema: &Compiled) -> Vec<TypeInfo> {
    let implementers = schema.implementers_map();
    let roots = root_names(schema);
    let mut out: Vec<TypeInfo> = schema
        .types
        .iter()
        .filter(|(name, _)| !name.starts_with("__"))
        .map(|(name, ty)| describe(name, ty, implementers.get(name)))
        .collect();
    out.sort_by(|a, b| {
        let rank = |t: &TypeInfo| roots.iter().position(|r| *r == t.name).unwrap_or(roots.len());
        rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name))
    });
    out
}

/// One type by name (introspection types included, for a user who asks for `__Type`).
pub(super) fn type_info(schema: &Compiled, name: &str) -> Option<TypeInfo> {
    let (name, ty) = schema.types.get_key_value(name)?;
    let implementers = match ty {
        ExtendedType::Interface(_) => schema.implementers_map().remove(name),
        _ => None,
    };
    Some(describe(name, ty, implementers.as_ref()))
}

fn root_names(schema: &Compiled) -> Vec<String> {
    let def = &schema.schema_definition;
    [&def.query, &def.mutation, &def.subscription].into_iter().flatten().map(|c| c.name.to_string()).collect()
}

fn text(description: Option<&Node<str>>) -> Option<String> {
    description.map(ToString::to_string)
}

/// `Some(reason)` when `@deprecated` is on the list (the default reason when it has none).
pub(super) fn deprecation(directives: &DirectiveList) -> Option<String> {
    let directive = directives.get("deprecated")?;
    let reason = directive
        .specified_argument_by_name("reason")
        .and_then(|v| v.as_str())
        .unwrap_or("No longer supported");
    Some(reason.to_owned())
}

pub(super) fn field_info(field: &FieldDefinition) -> FieldInfo {
    FieldInfo {
        name: field.name.to_string(),
        type_text: field.ty.to_string(),
        type_name: field.ty.inner_named_type().to_string(),
        args: field.arguments.iter().map(|a| arg_info(a)).collect(),
        description: text(field.description.as_ref()),
        deprecated: deprecation(&field.directives),
    }
}

pub(super) fn arg_info(arg: &InputValueDefinition) -> ArgInfo {
    ArgInfo {
        name: arg.name.to_string(),
        type_text: arg.ty.to_string(),
        default: arg.default_value.as_ref().map(|v| v.serialize().no_indent().to_string()),
        description: text(arg.description.as_ref()),
    }
}

fn input_field_info(field: &InputValueDefinition) -> FieldInfo {
    FieldInfo {
        name: field.name.to_string(),
        type_text: field.ty.to_string(),
        type_name: field.ty.inner_named_type().to_string(),
        args: Vec::new(),
        description: text(field.description.as_ref()),
        deprecated: deprecation(&field.directives),
    }
}

fn describe(name: &Name, ty: &ExtendedType, implementers: Option<&Implementers>) -> TypeInfo {
    let mut info = TypeInfo {
        name: name.to_string(),
        kind: TypeKind::Scalar,
        description: text(ty.description()),
        fields: Vec::new(),
        enum_values: Vec::new(),
        possible_types: Vec::new(),
        interfaces: Vec::new(),
    };
    match ty {
        ExtendedType::Scalar(_) => {}
        ExtendedType::Object(object) => {
            info.kind = TypeKind::Object;
            info.fields = object.fields.values().map(|f| field_info(f)).collect();
            info.interfaces = object.implements_interfaces.iter().map(|i| i.name.to_string()).collect();
        }
        ExtendedType::Interface(interface) => {
            info.kind = TypeKind::Interface;
            info.fields = interface.fields.values().map(|f| field_info(f)).collect();
            info.interfaces = interface.implements_interfaces.iter().map(|i| i.name.to_string()).collect();
            if let Some(found) = implementers {
                info.possible_types = found.objects.iter().map(ToString::to_string).collect();
                info.possible_types.sort();
            }
        }
        ExtendedType::Union(union) => {
            info.kind = TypeKind::Union;
            info.possible_types = union.members.iter().map(|m| m.name.to_string()).collect();
            info.possible_types.sort();
        }
        ExtendedType::Enum(enumeration) => {
            info.kind = TypeKind::Enum;
            info.enum_values = enumeration
                .values
                .values()
                .map(|v| EnumValueInfo {
                    name: v.value.to_string(),
                    description: text(v.description.as_ref()),
                    deprecated: deprecation(&v.directives),
                })
                .collect();
        }
        ExtendedType::InputObject(input) => {
            info.kind = TypeKind::InputObject;
            info.fields = input.fields.values().map(|f| input_field_info(f)).collect();
        }
    }
    info
}
