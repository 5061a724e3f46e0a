//! Completion in the query editor: a tolerant scan of the text before the cursor ([`super::scan`])
//! finds where the cursor is (selection set of which type, arguments of which field, a value of
//! which type, variable definitions, a fragment's type condition, the top level) and offers what
//! fits there. Works on incomplete and invalid documents.

use std::ops::Range;

use apollo_compiler::ast::{DirectiveLocation, Type};
use apollo_compiler::schema::ExtendedType;

use super::Compiled;
use super::Schema;
use super::describe::deprecation;
use super::scan::{self, ArgOwner, Context, Frame, Tok, Token, TopLevel};
use super::validate::floor_char_boundary;

/// What a completion item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    /// A field of the selection set's type.
    Field,
    /// An argument of a field or directive, or a field of an input object value.
    Argument,
    /// A type name (after `on`, or in a variable definition).
    Type,
    /// A value of an enum type.
    EnumValue,
    /// A variable of the operation (`$id`).
    Variable,
    /// A directive (`@include`).
    Directive,
    /// A keyword (`query`, `true`, `null`, `on`, …).
    Keyword,
    /// A fragment name after `...`.
    Fragment,
}

/// One item the editor can offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// What the list shows.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// Its type as GraphQL text (`[Film!]!`), or empty.
    pub detail: String,
    /// Its description from the schema, if any.
    pub description: Option<String>,
    /// Whether the schema marks it deprecated.
    pub deprecated: bool,
    /// The text to put in place of [`Completions::replace`].
    pub insert: String,
}

impl Completion {
    fn new(kind: CompletionKind, label: impl Into<String>) -> Self {
        let label = label.into();
        Self {
            insert: label.clone(),
            label,
            kind,
            detail: String::new(),
            description: None,
            deprecated: false,
        }
    }

    fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    fn described(mut self, description: Option<&apollo_compiler::Node<str>>) -> Self {
        self.description = description.map(ToString::to_string);
        self
    }
}

/// What to offer at the cursor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completions {
    /// Byte range of the partial word under the cursor (with its `$` or `@`), which an accepted
    /// item replaces.
    pub replace: Range<usize>,
    /// The items, best first; only those matching the part of the word before the cursor
    /// (those starting with it first, then those containing it).
    pub items: Vec<Completion>,
}

/// The completions at byte offset `cursor` of `query` (clamped to the text and to a char
/// boundary). Nothing inside a string or a comment.
#[must_use]
pub fn completions(schema: &Schema, query: &str, cursor: usize) -> Completions {
    let cursor = floor_char_boundary(query, cursor);
    let bytes = query.as_bytes();
    let is_name_char = |b: u8| b == b'_' || b.is_ascii_alphanumeric();
    let mut start = cursor;
    while start > 0 && is_name_char(bytes[start - 1]) {
        start -= 1;
    }
    let mut end = cursor;
    while end < bytes.len() && is_name_char(bytes[end]) {
        end += 1;
    }
    let tokens = scan::tokenize(query);
    let inside_literal = tokens.iter().any(|t| {
        matches!(t.tok, Tok::Literal | Tok::Comment)
            && t.start < cursor
            && (cursor < t.end || (t.end == query.len() && !closed(query, t)))
    });
    let before = tokens.iter().take_while(|t| t.end <= start).count();
    let mut out = Completions { replace: start..end, items: Vec::new() };
    if inside_literal || bytes.get(start).is_some_and(u8::is_ascii_digit) {
        return out;
    }
    let compiled = schema.valid();
    let cx = scan::context(compiled, &tokens[..before]);
    let significant: Vec<&Token<'_>> = tokens[..before].iter().filter(|t| t.tok != Tok::Comment).collect();
    let last = significant.last().map(|t| t.tok);
    let last2 = significant.len().checked_sub(2).map(|i| significant[i].tok);
    let finder = Finder { schema: compiled, cx: &cx, tokens: &tokens, before, start };
    match last {
        Some(Tok::Punct(sigil @ ('$' | '@'))) => {
            // The sigil is part of what an item replaces; it is directly before the word.
            if let Some(t) = significant.last().filter(|t| t.end == start) {
                out.replace.start = t.start;
            }
            out.items = if sigil == '$' { finder.variables() } else { finder.directives() };
        }
        _ => out.items = finder.at(last, last2),
    }
    let typed = &query[out.replace.start..cursor];
    out.items = filtered(out.items, typed);
    out
}

/// Whether a literal or comment token that reaches the end of the text is closed.
fn closed(query: &str, t: &Token<'_>) -> bool {
    let text = &query[t.start..t.end];
    match t.tok {
        Tok::Literal if text.starts_with("\"\"\"") => text.len() >= 6 && text.ends_with("\"\"\""),
        Tok::Literal if text.starts_with('"') => text.len() >= 2 && text.ends_with('"'),
        Tok::Literal => true,
        _ => false,
    }
}

/// Keeps the items matching `typed` (case-insensitive): those starting with it first, then
/// those with a word inside starting with it (`conn` finds `characterConnection`, `id` finds
/// `user_id`), each group in the order given.
fn filtered(items: Vec<Completion>, typed: &str) -> Vec<Completion> {
    let bare = typed.trim_start_matches(['$', '@']).to_lowercase();
    if bare.is_empty() {
        return items;
    }
    let typed = typed.to_lowercase();
    let (mut prefix, mut inner) = (Vec::new(), Vec::new());
    for item in items {
        if item.label.to_lowercase().starts_with(&typed) {
            prefix.push(item);
        } else if word_starts(&item.label).any(|w| item.label[w..].to_lowercase().starts_with(&bare)) {
            inner.push(item);
        }
    }
    prefix.extend(inner);
    prefix
}

/// Byte offsets where a word starts inside a label: after `_`, `$` or `@`, and at an upper-case
/// letter that follows a lower-case letter or digit (camelCase).
fn word_starts(label: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = label.as_bytes();
    (1..bytes.len()).filter(move |&i| {
        let (before, here) = (bytes[i - 1], bytes[i]);
        (matches!(before, b'_' | b'$' | b'@') && here != b'_')
            || (here.is_ascii_uppercase() && (before.is_ascii_lowercase() || before.is_ascii_digit()))
    })
}

/// Finds the items for a context.
struct Finder<'a> {
    schema: &'a Compiled,
    cx: &'a Context,
    tokens: &'a [Token<'a>],
    /// How many tokens lie before the word being completed.
    before: usize,
    /// Where that word starts.
    start: usize,
}

impl Finder<'_> {
    fn at(&self, last: Option<Tok<'_>>, last2: Option<Tok<'_>>) -> Vec<Completion> {
        match self.cx.stack.last() {
            None => self.top_level(),
            Some(Frame::Selection { ty, open }) => match (last, last2) {
                (Some(Tok::Spread), _) => self.after_spread(),
                (Some(Tok::Name("on")), Some(Tok::Spread)) => self.type_conditions(ty.as_deref()),
                (Some(Tok::Name(_)), Some(Tok::Spread)) => Vec::new(),
                _ => self.fields(ty.as_deref(), *open),
            },
            Some(Frame::Args { owner, given, value, .. }) => match value {
                Some(expected) => self.values(expected.as_ref()),
                None => self.arguments(owner, given),
            },
            Some(Frame::Object { ty, given, value, .. }) => match value {
                Some(expected) => self.values(expected.as_ref()),
                None => self.input_fields(ty.as_deref(), given),
            },
            Some(Frame::List { item }) => self.values(item.as_ref()),
            Some(Frame::VarDefs { type_tokens, value, .. }) => match (value, type_tokens) {
                (Some(expected), _) => self.values(expected.as_ref()),
                (None, Some(_)) => self.input_types(),
                (None, None) => Vec::new(),
            },
        }
    }

    fn top_level(&self) -> Vec<Completion> {
        match self.cx.top {
            TopLevel::Start => {
                let mut keywords = vec!["query"];
                if self.schema.schema_definition.mutation.is_some() {
                    keywords.push("mutation");
                }
                if self.schema.schema_definition.subscription.is_some() {
                    keywords.push("subscription");
                }
                keywords.push("fragment");
                keywords.into_iter().map(|k| Completion::new(CompletionKind::Keyword, k)).collect()
            }
            TopLevel::FragmentName => vec![Completion::new(CompletionKind::Keyword, "on")],
            TopLevel::FragmentOn => self.type_conditions(None),
            TopLevel::Operation | TopLevel::FragmentKeyword | TopLevel::FragmentType => Vec::new(),
        }
    }

    /// Fields of `ty`, those not yet selected in this selection set first, then `__typename`.
    fn fields(&self, ty: Option<&str>, open: usize) -> Vec<Completion> {
        let Some(ty) = ty else { return Vec::new() };
        let selected = scan::selected_fields(self.tokens, open, self.start);
        let fields = match self.schema.types.get(ty) {
            Some(ExtendedType::Object(o)) => Some(&o.fields),
            Some(ExtendedType::Interface(i)) => Some(&i.fields),
            _ => None,
        };
        let mut fresh = Vec::new();
        let mut again = Vec::new();
        for field in fields.into_iter().flat_map(|f| f.values()) {
            let deprecated = deprecation(&field.directives);
            let mut item = Completion::new(CompletionKind::Field, field.name.as_str())
                .detail(field.ty.to_string())
                .described(field.description.as_ref());
            item.deprecated = deprecated.is_some();
            if selected.contains(&field.name.as_str()) {
                again.push(item);
            } else {
                fresh.push(item);
            }
        }
        // Deprecated fields after the others, keeping schema order within each group.
        fresh.sort_by_key(|c| c.deprecated);
        fresh.extend(again);
        fresh.push(Completion::new(CompletionKind::Field, "__typename").detail("String!"));
        if ty == self.root_query() {
            fresh.push(Completion::new(CompletionKind::Field, "__schema").detail("__Schema!"));
            fresh.push(Completion::new(CompletionKind::Field, "__type").detail("__Type"));
        }
        if matches!(self.schema.types.get(ty), Some(ExtendedType::Union(_) | ExtendedType::Interface(_))) {
            let mut spread = Completion::new(CompletionKind::Keyword, "... on");
            spread.insert = String::from("... on ");
            fresh.push(spread);
        }
        fresh
    }

    fn root_query(&self) -> &str {
        self.schema.schema_definition.query.as_ref().map_or("", |c| c.name.as_str())
    }

    /// After `...`: fragments defined in the document, and `on` for an inline fragment.
    fn after_spread(&self) -> Vec<Completion> {
        let mut items = vec![Completion::new(CompletionKind::Keyword, "on")];
        for (name, on) in scan::fragments(self.tokens) {
            items.push(Completion::new(CompletionKind::Fragment, name).detail(format!("on {on}")));
        }
        items
    }

    /// Types a fragment inside a selection of `within` may name (all composite types at the top).
    fn type_conditions(&self, within: Option<&str>) -> Vec<Completion> {
        self.types_where(|name, ty| {
            matches!(ty, ExtendedType::Object(_) | ExtendedType::Interface(_) | ExtendedType::Union(_))
                && within.is_none_or(|w| {
                    w == name || self.schema.is_subtype(w, name) || self.schema.is_subtype(name, w)
                })
        })
    }

    /// Input types for a variable definition.
    fn input_types(&self) -> Vec<Completion> {
        self.types_where(|_, ty| ty.is_input_type())
    }

    /// The schema's own types (not `__` introspection ones) that `keep` keeps, by name.
    fn types_where(&self, keep: impl Fn(&str, &ExtendedType) -> bool) -> Vec<Completion> {
        let mut items: Vec<Completion> = self
            .schema
            .types
            .iter()
            .filter(|(name, ty)| !name.starts_with("__") && keep(name.as_str(), ty))
            .map(|(name, ty)| {
                Completion::new(CompletionKind::Type, name.as_str())
                    .detail(kind_word(ty))
                    .described(ty.description())
            })
            .collect();
        items.sort_by(|a, b| a.label.cmp(&b.label));
        items
    }

    fn arguments(&self, owner: &ArgOwner, given: &[String]) -> Vec<Completion> {
        let definitions = match owner {
            ArgOwner::Field(Some(field)) => &field.arguments,
            ArgOwner::Field(None) => return Vec::new(),
            ArgOwner::Directive(name) => match self.schema.directive_definitions.get(name.as_str()) {
                Some(d) => &d.arguments,
                None => return Vec::new(),
            },
        };
        let mut items: Vec<Completion> = definitions
            .iter()
            .filter(|a| !given.iter().any(|g| g == a.name.as_str()))
            .map(|a| {
                let mut item = Completion::new(CompletionKind::Argument, a.name.as_str())
                    .detail(a.ty.to_string())
                    .described(a.description.as_ref());
                item.insert = format!("{}: ", a.name);
                item.deprecated = deprecation(&a.directives).is_some();
                item
            })
            .collect();
        // Required arguments first.
        items.sort_by_key(|c| !c.detail.ends_with('!'));
        items
    }

    fn input_fields(&self, ty: Option<&str>, given: &[String]) -> Vec<Completion> {
        let Some(input) = ty.and_then(|t| self.schema.get_input_object(t)) else { return Vec::new() };
        input
            .fields
            .values()
            .filter(|f| !given.iter().any(|g| g == f.name.as_str()))
            .map(|f| {
                let mut item = Completion::new(CompletionKind::Argument, f.name.as_str())
                    .detail(f.ty.to_string())
                    .described(f.description.as_ref());
                item.insert = format!("{}: ", f.name);
                item
            })
            .collect()
    }

    /// What may stand where a value of type `expected` goes.
    fn values(&self, expected: Option<&Type>) -> Vec<Completion> {
        let mut items = self.variables_of(expected);
        let Some(expected) = expected else {
            items.extend(["true", "false", "null"].map(|k| Completion::new(CompletionKind::Keyword, k)));
            return items;
        };
        let name = scan::named(expected);
        match self.schema.types.get(name) {
            Some(ExtendedType::Enum(e)) => {
                for value in e.values.values() {
                    let mut item = Completion::new(CompletionKind::EnumValue, value.value.as_str())
                        .detail(name)
                        .described(value.description.as_ref());
                    item.deprecated = deprecation(&value.directives).is_some();
                    items.push(item);
                }
                items.sort_by_key(|c| c.deprecated);
            }
            Some(ExtendedType::Scalar(_)) if name == "Boolean" => {
                items.extend(
                    ["true", "false"].map(|k| Completion::new(CompletionKind::Keyword, k).detail("Boolean")),
                );
            }
            _ => {}
        }
        if !expected.is_non_null() {
            items.push(Completion::new(CompletionKind::Keyword, "null"));
        }
        items
    }

    /// The operation's variables that fit `expected` (all of them when it is not known).
    fn variables_of(&self, expected: Option<&Type>) -> Vec<Completion> {
        self.cx
            .variables
            .iter()
            .filter(|(_, ty)| expected.is_none_or(|e| fits(ty, e)))
            .map(|(name, ty)| {
                Completion::new(CompletionKind::Variable, format!("${name}")).detail(ty.to_string())
            })
            .collect()
    }

    /// After `$`: in variable definitions, the variables the operation uses but does not define
    /// yet; in a value, the defined variables of a fitting type.
    fn variables(&self) -> Vec<Completion> {
        match self.cx.stack.last() {
            Some(Frame::VarDefs { value: None, .. }) => {
                let defined: Vec<&str> = self.cx.variables.iter().map(|(n, _)| n.as_str()).collect();
                scan::used_variables(self.tokens, self.before)
                    .into_iter()
                    .filter(|n| !defined.contains(n))
                    .map(|n| {
                        Completion::new(CompletionKind::Variable, format!("${n}")).detail("used, not defined")
                    })
                    .collect()
            }
            Some(
                Frame::Args { value: Some(expected), .. }
                | Frame::Object { value: Some(expected), .. }
                | Frame::VarDefs { value: Some(expected), .. },
            ) => self.variables_of(expected.as_ref()),
            Some(Frame::List { item }) => self.variables_of(item.as_ref()),
            _ => self.variables_of(None),
        }
    }

    /// Directives usable at the cursor: on fields and fragments inside a selection set, on
    /// operations at the top level.
    fn directives(&self) -> Vec<Completion> {
        let location = match self.cx.stack.last() {
            Some(Frame::Selection { .. }) => DirectiveLocation::Field,
            Some(Frame::VarDefs { .. }) => DirectiveLocation::VariableDefinition,
            _ => match self.cx.top {
                TopLevel::FragmentType => DirectiveLocation::FragmentDefinition,
                _ => DirectiveLocation::Query,
            },
        };
        let mut items: Vec<Completion> = self
            .schema
            .directive_definitions
            .values()
            .filter(|d| {
                d.locations.contains(&location)
                    || (location == DirectiveLocation::Field
                        && (d.locations.contains(&DirectiveLocation::InlineFragment)
                            || d.locations.contains(&DirectiveLocation::FragmentSpread)))
            })
            .map(|d| {
                let args: Vec<String> = d.arguments.iter().map(|a| format!("{}: {}", a.name, a.ty)).collect();
                let mut item = Completion::new(CompletionKind::Directive, format!("@{}", d.name))
                    .described(d.description.as_ref());
                if !args.is_empty() {
                    item.detail = format!("({})", args.join(", "));
                }
                item
            })
            .collect();
        items.sort_by(|a, b| a.label.cmp(&b.label));
        items
    }
}

/// Whether a variable of type `var` may be used where `expected` is (GraphQL's "All Variable
/// Usages Are Allowed", without the default-value allowance).
fn fits(var: &Type, expected: &Type) -> bool {
    match (var, expected) {
        (Type::NonNullNamed(a), Type::NonNullNamed(b) | Type::Named(b))
        | (Type::Named(a), Type::Named(b)) => a == b,
        (Type::NonNullList(a), Type::NonNullList(b) | Type::List(b)) | (Type::List(a), Type::List(b)) => {
            fits(a, b)
        }
        _ => false,
    }
}

fn kind_word(ty: &ExtendedType) -> &'static str {
    match ty {
        ExtendedType::Scalar(_) => "scalar",
        ExtendedType::Object(_) => "type",
        ExtendedType::Interface(_) => "interface",
        ExtendedType::Union(_) => "union",
        ExtendedType::Enum(_) => "enum",
        ExtendedType::InputObject(_) => "input",
    }
}
