//! A tolerant scan of a query being typed: tokens (never failing, whatever the text), and the
//! context at a point (which selection set, argument list, value or variable definition it is
//! in), found by walking the tokens before that point with a stack of open brackets.

use apollo_compiler::Node;
use apollo_compiler::ast::{FieldDefinition, Type};
use apollo_compiler::schema::ExtendedType;

use super::Compiled;

/// What a token is; names and punctuation keep their text, values (strings, numbers) do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok<'a> {
    Name(&'a str),
    Punct(char),
    /// `...`
    Spread,
    /// A string or number literal.
    Literal,
    /// A `#` comment (up to the end of its line).
    Comment,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Token<'a> {
    pub tok: Tok<'a>,
    pub start: usize,
    pub end: usize,
}

fn is_name_start(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphabetic()
}

fn is_name_char(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphanumeric()
}

/// Splits `text` into tokens. Never fails: an unterminated string runs to the end of its line
/// (a block string to the end of the text), and characters GraphQL does not know are skipped.
pub(super) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let tok = match b {
            b'#' => {
                i = memchr_newline(bytes, i);
                Tok::Comment
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i = block_string_end(bytes, i + 3);
                Tok::Literal
            }
            b'"' => {
                i = string_end(bytes, i + 1);
                Tok::Literal
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                i += 3;
                Tok::Spread
            }
            b'-' | b'0'..=b'9' => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
                Tok::Literal
            }
            _ if is_name_start(b) => {
                while i < bytes.len() && is_name_char(bytes[i]) {
                    i += 1;
                }
                Tok::Name(&text[start..i])
            }
            b'{' | b'}' | b'(' | b')' | b'[' | b']' | b':' | b'=' | b'@' | b'$' | b'!' | b'|' | b'&' => {
                i += 1;
                Tok::Punct(char::from(b))
            }
            _ => {
                // Whitespace, commas, and anything else: skip the whole (possibly multi-byte) char.
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
        };
        tokens.push(Token { tok, start, end: i });
    }
    tokens
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|&b| b == b'\n' || b == b'\r').map_or(bytes.len(), |p| from + p)
}

fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn block_string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\\\"\"\"") {
            i += 4;
        } else if bytes[i..].starts_with(b"\"\"\"") {
            return i + 3;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// Whose arguments an argument list holds.
#[derive(Debug, Clone)]
pub(super) enum ArgOwner {
    Field(Option<Node<FieldDefinition>>),
    Directive(String),
}

/// An open bracket at the scan point, innermost last.
#[derive(Debug, Clone)]
pub(super) enum Frame {
    /// `{ … }` of fields of `ty` (`None` when the type could not be followed); `open` is the
    /// index of its `{` token.
    Selection { ty: Option<String>, open: usize },
    /// `( … )` of a field's or directive's arguments.
    Args { owner: ArgOwner, given: Vec<String>, current: Option<String>, value: Option<Option<Type>> },
    /// `( … )` of an operation's variable definitions.
    VarDefs { current: Option<String>, type_tokens: Option<String>, value: Option<Option<Type>> },
    /// `{ … }` of an input object value of type `ty`.
    Object { ty: Option<String>, given: Vec<String>, current: Option<String>, value: Option<Option<Type>> },
    /// `[ … ]` of a list value with items of type `item`.
    List { item: Option<Type> },
}

/// Where a top-level definition is while it is being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum TopLevel {
    /// Between definitions.
    #[default]
    Start,
    /// After `query`/`mutation`/`subscription` (and maybe its name).
    Operation,
    /// After `fragment`, waiting for its name.
    FragmentKeyword,
    /// After `fragment Name`, waiting for `on`.
    FragmentName,
    /// After `fragment Name on`, waiting for the type.
    FragmentOn,
    /// After `fragment Name on Type`.
    FragmentType,
}

/// The context at the scan point.
#[derive(Debug, Default)]
pub(super) struct Context {
    pub stack: Vec<Frame>,
    pub top: TopLevel,
    /// The root or type-condition type the next top-level `{` opens.
    pub pending_type: Option<String>,
    /// Variables defined by the operation being read, with their types.
    pub variables: Vec<(String, Type)>,
    /// The field whose name was read last in the innermost selection set.
    last_field: Option<Node<FieldDefinition>>,
    /// `... on Type` read, waiting for its `{`.
    inline_type: Option<String>,
}

/// Walks `tokens` (those before the scan point) and returns the context there.
pub(super) fn context(schema: &Compiled, tokens: &[Token<'_>]) -> Context {
    let mut cx = Context::default();
    let toks: Vec<(usize, Tok<'_>)> =
        tokens.iter().enumerate().filter(|(_, t)| t.tok != Tok::Comment).map(|(i, t)| (i, t.tok)).collect();
    for (k, &(index, tok)) in toks.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| toks[p].1);
        let prev2 = k.checked_sub(2).map(|p| toks[p].1);
        let directive_name = prev == Some(Tok::Punct('@'));
        match cx.stack.last_mut() {
            None => cx.top_level(schema, tok, prev, prev2, index),
            Some(Frame::Selection { .. }) => cx.selection(schema, tok, prev, prev2, index, directive_name),
            Some(Frame::List { .. }) => cx.list(schema, tok),
            Some(Frame::VarDefs { .. }) => cx.var_defs(schema, tok, prev),
            Some(Frame::Args { .. } | Frame::Object { .. }) => cx.args_or_object(schema, tok, prev),
        }
    }
    cx
}

fn root_type(schema: &Compiled, keyword: &str) -> Option<String> {
    let def = &schema.schema_definition;
    let root = match keyword {
        "mutation" => &def.mutation,
        "subscription" => &def.subscription,
        _ => &def.query,
    };
    root.as_ref().map(|c| c.name.to_string())
}

/// The named type inside a type's wrappers.
pub(super) fn named(ty: &Type) -> &str {
    ty.inner_named_type().as_str()
}

impl Context {
    fn top_level(
        &mut self,
        schema: &Compiled,
        tok: Tok<'_>,
        prev: Option<Tok<'_>>,
        prev2: Option<Tok<'_>>,
        index: usize,
    ) {
        match (self.top, tok) {
            (_, Tok::Name(keyword @ ("query" | "mutation" | "subscription")))
                if self.top == TopLevel::Start =>
            {
                self.top = TopLevel::Operation;
                self.pending_type = root_type(schema, keyword);
                self.variables.clear();
            }
            (TopLevel::Start, Tok::Name("fragment")) => {
                self.top = TopLevel::FragmentKeyword;
                self.pending_type = None;
            }
            (TopLevel::FragmentKeyword, Tok::Name(_)) => self.top = TopLevel::FragmentName,
            (TopLevel::FragmentName, Tok::Name("on")) => self.top = TopLevel::FragmentOn,
            (TopLevel::FragmentOn, Tok::Name(name)) => {
                self.top = TopLevel::FragmentType;
                self.pending_type = Some(name.to_owned());
            }
            (TopLevel::Operation, Tok::Punct('(')) => match (prev, prev2) {
                (Some(Tok::Name(name)), Some(Tok::Punct('@'))) => self.stack.push(Frame::Args {
                    owner: ArgOwner::Directive(name.to_owned()),
                    given: Vec::new(),
                    current: None,
                    value: None,
                }),
                _ => self.stack.push(Frame::VarDefs { current: None, type_tokens: None, value: None }),
            },
            (_, Tok::Punct('{')) => {
                if self.top == TopLevel::Start {
                    self.pending_type = root_type(schema, "query");
                    self.variables.clear();
                }
                self.stack.push(Frame::Selection { ty: self.pending_type.take(), open: index });
                self.top = TopLevel::Start;
            }
            _ => {}
        }
    }

    fn selection(
        &mut self,
        schema: &Compiled,
        tok: Tok<'_>,
        prev: Option<Tok<'_>>,
        prev2: Option<Tok<'_>>,
        index: usize,
        directive_name: bool,
    ) {
        let Some(Frame::Selection { ty, .. }) = self.stack.last() else { return };
        let ty = ty.clone();
        match tok {
            Tok::Name(_) if directive_name => {}
            Tok::Name("on") if prev == Some(Tok::Spread) => {}
            Tok::Name(name) if prev == Some(Tok::Name("on")) && prev2 == Some(Tok::Spread) => {
                self.inline_type = Some(name.to_owned());
            }
            // `...Name`: a fragment spread, not an inline fragment.
            Tok::Name(_) if prev == Some(Tok::Spread) => self.inline_type = None,
            // An inline fragment is on the enclosing type until `on Type` says otherwise.
            Tok::Spread => {
                self.inline_type = ty;
                self.last_field = None;
            }
            Tok::Name(name) => {
                self.inline_type = None;
                self.last_field =
                    ty.as_deref().and_then(|t| schema.type_field(t, name).ok()).map(|c| c.node.clone());
            }
            Tok::Punct(':') => self.last_field = None,
            Tok::Punct('(') => {
                let owner = match (prev, prev2) {
                    (Some(Tok::Name(name)), Some(Tok::Punct('@'))) => ArgOwner::Directive(name.to_owned()),
                    _ => ArgOwner::Field(self.last_field.clone()),
                };
                self.stack.push(Frame::Args { owner, given: Vec::new(), current: None, value: None });
            }
            Tok::Punct('{') => {
                let inner = match self.inline_type.take() {
                    Some(t) => Some(t),
                    None => self.last_field.as_ref().map(|f| named(&f.ty).to_owned()),
                };
                self.last_field = None;
                self.stack.push(Frame::Selection { ty: inner, open: index });
            }
            Tok::Punct('}') => {
                self.stack.pop();
                self.last_field = None;
                self.inline_type = None;
            }
            _ => {}
        }
    }

    fn list(&mut self, schema: &Compiled, tok: Tok<'_>) {
        let Some(Frame::List { item }) = self.stack.last() else { return };
        let item = item.clone();
        match tok {
            Tok::Punct('[') => {
                self.stack.push(Frame::List { item: item.as_ref().map(|t| t.item_type().clone()) });
            }
            Tok::Punct('{') => self.push_object(schema, item.as_ref()),
            Tok::Punct(']') => self.close_value(),
            _ => {}
        }
    }

    fn push_object(&mut self, schema: &Compiled, ty: Option<&Type>) {
        let ty = ty
            .map(|t| named(t).to_owned())
            .filter(|n| matches!(schema.types.get(n.as_str()), Some(ExtendedType::InputObject(_))));
        self.stack.push(Frame::Object { ty, given: Vec::new(), current: None, value: None });
    }

    /// Pops a list or object value, which completes the value its parent was waiting for.
    fn close_value(&mut self) {
        self.stack.pop();
        if let Some(Frame::Args { value, .. } | Frame::Object { value, .. } | Frame::VarDefs { value, .. }) =
            self.stack.last_mut()
        {
            *value = None;
        }
    }

    fn var_defs(&mut self, schema: &Compiled, tok: Tok<'_>, prev: Option<Tok<'_>>) {
        let Some(Frame::VarDefs { current, type_tokens, value }) = self.stack.last_mut() else { return };
        if let Some(expected) = value.clone() {
            match tok {
                Tok::Punct('[') => {
                    self.stack.push(Frame::List { item: expected.as_ref().map(|t| t.item_type().clone()) });
                }
                Tok::Punct('{') => self.push_object(schema, expected.as_ref()),
                Tok::Punct('$') => {}
                Tok::Punct(')') => {
                    self.stack.pop();
                }
                _ => *value = None,
            }
            return;
        }
        match tok {
            Tok::Punct(':') => *type_tokens = Some(String::new()),
            Tok::Name(name) if prev == Some(Tok::Punct('$')) => {
                *current = Some(name.to_owned());
                *type_tokens = None;
            }
            Tok::Name(name) if type_tokens.is_some() => {
                if let Some(t) = type_tokens.as_mut() {
                    t.push_str(name);
                }
            }
            Tok::Punct(c @ ('[' | ']' | '!')) if type_tokens.is_some() => {
                if let Some(t) = type_tokens.as_mut() {
                    t.push(c);
                }
            }
            Tok::Punct('=' | '$' | ')' | '@') => {
                if let (Some(name), Some(text)) = (current.take(), type_tokens.take())
                    && let Ok(ty) = Type::parse(text.as_str(), "variable.graphql")
                {
                    if tok == Tok::Punct('=') {
                        *value = Some(Some(ty.clone()));
                    }
                    self.variables.push((name, ty));
                }
                if tok == Tok::Punct(')') {
                    self.stack.pop();
                }
            }
            _ => {}
        }
    }

    fn args_or_object(&mut self, schema: &Compiled, tok: Tok<'_>, prev: Option<Tok<'_>>) {
        let expected_value = match self.stack.last() {
            Some(Frame::Args { value, .. } | Frame::Object { value, .. }) => value.clone(),
            _ => return,
        };
        if let Some(expected) = expected_value {
            match tok {
                Tok::Punct('[') => {
                    self.stack.push(Frame::List { item: expected.as_ref().map(|t| t.item_type().clone()) });
                }
                Tok::Punct('{') => self.push_object(schema, expected.as_ref()),
                Tok::Punct('$') => {}
                Tok::Punct(')' | '}') => {
                    self.stack.pop();
                }
                _ => self.set_value(None),
            }
            return;
        }
        match tok {
            Tok::Name(name) if prev != Some(Tok::Punct('$')) => {
                if let Some(Frame::Args { given, current, .. } | Frame::Object { given, current, .. }) =
                    self.stack.last_mut()
                {
                    given.push(name.to_owned());
                    *current = Some(name.to_owned());
                }
            }
            Tok::Punct(':') => {
                let ty = self.expected_type(schema);
                self.set_value(Some(ty));
            }
            Tok::Punct(')' | '}') => {
                self.stack.pop();
            }
            _ => {}
        }
    }

    fn set_value(&mut self, to: Option<Option<Type>>) {
        if let Some(Frame::Args { value, .. } | Frame::Object { value, .. }) = self.stack.last_mut() {
            *value = to;
        }
    }

    /// The type of the argument or input field named last in the innermost args/object frame.
    fn expected_type(&self, schema: &Compiled) -> Option<Type> {
        match self.stack.last()? {
            Frame::Args { owner, current, .. } => {
                let current = current.as_deref()?;
                match owner {
                    ArgOwner::Field(field) => {
                        field.as_ref()?.argument_by_name(current).map(|a| (*a.ty).clone())
                    }
                    ArgOwner::Directive(name) => schema
                        .directive_definitions
                        .get(name.as_str())?
                        .argument_by_name(current)
                        .map(|a| (*a.ty).clone()),
                }
            }
            Frame::Object { ty, current, .. } => {
                let input = schema.get_input_object(ty.as_deref()?)?;
                input.fields.get(current.as_deref()?).map(|f| (*f.ty).clone())
            }
            _ => None,
        }
    }
}

/// Names of the fields already selected in the selection set opened at token `open`, skipping
/// the token at `skip_start` (the word being completed).
pub(super) fn selected_fields<'a>(tokens: &[Token<'a>], open: usize, skip_start: usize) -> Vec<&'a str> {
    let mut out = Vec::new();
    let (mut braces, mut parens) = (0usize, 0usize);
    let toks: Vec<&Token<'a>> = tokens.iter().skip(open + 1).filter(|t| t.tok != Tok::Comment).collect();
    for (k, t) in toks.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| toks[p].tok);
        let next = toks.get(k + 1).map(|n| n.tok);
        match t.tok {
            Tok::Punct('{') => braces += 1,
            Tok::Punct('}') if braces == 0 => break,
            Tok::Punct('}') => braces -= 1,
            Tok::Punct('(') => parens += 1,
            Tok::Punct(')') => parens = parens.saturating_sub(1),
            Tok::Name(name) if braces == 0 && parens == 0 && t.start != skip_start => {
                let not_field = matches!(prev, Some(Tok::Spread | Tok::Punct('@') | Tok::Name("on")))
                    || next == Some(Tok::Punct(':'));
                if !not_field {
                    out.push(name);
                }
            }
            _ => {}
        }
    }
    out
}

/// `$name`s used in the operation whose variable definitions are open at token index `from`
/// (outside those definitions).
pub(super) fn used_variables<'a>(tokens: &[Token<'a>], from: usize) -> Vec<&'a str> {
    let mut out: Vec<&'a str> = Vec::new();
    let (mut parens, mut braces, mut entered) = (1usize, 0usize, false);
    let mut prev = None;
    for t in tokens.iter().skip(from).filter(|t| t.tok != Tok::Comment) {
        match t.tok {
            Tok::Punct('(') => parens += 1,
            Tok::Punct(')') => parens = parens.saturating_sub(1),
            Tok::Punct('{') => {
                braces += 1;
                entered = true;
            }
            Tok::Punct('}') => {
                braces = braces.saturating_sub(1);
                if entered && braces == 0 {
                    break;
                }
            }
            Tok::Name(name) if prev == Some(Tok::Punct('$')) && entered && !out.contains(&name) => {
                out.push(name);
            }
            _ => {}
        }
        prev = Some(t.tok);
    }
    out
}

/// `(name, type condition)` of every fragment defined in the document.
pub(super) fn fragments<'a>(tokens: &[Token<'a>]) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let toks: Vec<Tok<'a>> = tokens.iter().map(|t| t.tok).filter(|t| *t != Tok::Comment).collect();
    for (k, tok) in toks.iter().enumerate() {
        match tok {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => depth = depth.saturating_sub(1),
            Tok::Name("fragment") if depth == 0 => {
                if let (Some(Tok::Name(name)), Some(Tok::Name("on")), Some(Tok::Name(on))) =
                    (toks.get(k + 1), toks.get(k + 2), toks.get(k + 3))
                {
                    out.push((*name, *on));
                }
            }
            _ => {}
        }
    }
    out
}
