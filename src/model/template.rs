//! Finding `{{name}}` references in a text: the syntax every field the user writes shares (the
//! variable layer resolves them; URLs are split around them).

use std::ops::Range;

/// One `{{name}}` reference in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// The name between the braces, without surrounding spaces.
    pub name: String,
    /// Byte range of the whole reference, braces included.
    pub range: Range<usize>,
}

/// Every `{{name}}` reference in `text`, in order. As in Postman, a name cannot contain `{` or
/// `}`; `{{ name }}` is the same reference as `{{name}}`; `{{}}` is not a reference.
pub fn find_references(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    scan(text, |name, range| out.push(Reference { name: name.to_owned(), range }));
    out
}

/// The byte offsets of `c` in `text` outside every `{{name}}` reference (a `&`, `#` or `=`
/// there is the text's own, not part of a variable's name).
pub fn offsets_outside_references(text: &str, c: u8) -> Vec<usize> {
    let mut spans = Vec::new();
    scan(text, |_, range| spans.push(range));
    text.bytes()
        .enumerate()
        .filter(|(i, b)| *b == c && !spans.iter().any(|r| r.contains(i)))
        .map(|(i, _)| i)
        .collect()
}

/// Calls `found(name, range)` for each reference in `text`.
pub(crate) fn scan(text: &str, mut found: impl FnMut(&str, Range<usize>)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] != b'{' || bytes[i + 1] != b'{' {
            i += 1;
            continue;
        }
        let start = i;
        let mut k = i + 2;
        while k < bytes.len() && bytes[k] != b'{' && bytes[k] != b'}' {
            k += 1;
        }
        if k + 1 < bytes.len() && bytes[k] == b'}' && bytes[k + 1] == b'}' {
            let name = text[start + 2..k].trim();
            if !name.is_empty() {
                found(name, start..k + 2);
            }
            i = k + 2;
        } else if k < bytes.len() && bytes[k] == b'{' {
            // `{{a{{b}}` or `{{{b}}}`: the reference is the inner one; rescan from this brace
            // (or the one before it, which may open a `{{`).
            i = if bytes[k - 1] == b'{' { k - 1 } else { k };
        } else {
            i = k + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Range<usize>)> {
        find_references(text).into_iter().map(|r| (r.name, r.range)).collect()
    }

    #[test]
    fn finds_references_with_byte_ranges() {
        assert_eq!(
            names("{{base}}/users/{{ id }}"),
            vec![("base".to_owned(), 0..8), ("id".to_owned(), 15..23)]
        );
    }

    #[test]
    fn ignores_empty_and_unclosed() {
        assert!(names("{{}} {{ }} {{open").is_empty());
        assert_eq!(names("{{a{{b}}"), vec![("b".to_owned(), 3..8)]);
        assert_eq!(names("{{{x}}}"), vec![("x".to_owned(), 1..6)]);
    }

    #[test]
    fn byte_ranges_are_right_after_unicode() {
        let text = "héllo {{名前}}";
        let refs = find_references(text);
        assert_eq!(&text[refs[0].range.clone()], "{{名前}}");
    }
}
