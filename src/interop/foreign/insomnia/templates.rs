//! Insomnia's Nunjucks templates, converted to {{variables}}, and what could not be.

use crate::interop::Report;

/// Converts Insomnia's Nunjucks templates and remembers what could not be converted.
#[derive(Default)]
pub(super) struct Templates {
    pub(super) tags: Vec<String>,
    pub(super) expressions: Vec<String>,
}

impl Templates {
    /// `{{ _.name }}` and `{{ name }}` become `{{name}}`; anything else stays as written.
    pub(super) fn convert(&mut self, text: &str) -> String {
        if !text.contains("{{") && !text.contains("{%") {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(['{']) {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            if let Some(inner) = tail.strip_prefix("{{") {
                if let Some(end) = inner.find("}}") {
                    let expr = inner[..end].trim();
                    let name = expr.strip_prefix("_.").unwrap_or(expr);
                    let name = name.strip_prefix("_['").and_then(|n| n.strip_suffix("']")).unwrap_or(name);
                    if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || "_-.$[]".contains(c)) {
                        out.push_str("{{");
                        out.push_str(name);
                        out.push_str("}}");
                    } else {
                        self.note_expression(expr);
                        out.push_str(&tail[..end + 4]);
                    }
                    rest = &inner[end + 2..];
                    continue;
                }
            } else if let Some(inner) = tail.strip_prefix("{%")
                && let Some(end) = inner.find("%}")
            {
                let tag = inner[..end].split_whitespace().next().unwrap_or_default().to_owned();
                if !self.tags.contains(&tag) {
                    self.tags.push(tag);
                }
                out.push_str(&tail[..end + 4]);
                rest = &inner[end + 2..];
                continue;
            }
            out.push('{');
            rest = &tail[1..];
        }
        out.push_str(rest);
        out
    }

    fn note_expression(&mut self, expr: &str) {
        let expr = expr.to_owned();
        if !self.expressions.contains(&expr) && self.expressions.len() < 20 {
            self.expressions.push(expr);
        }
    }

    pub(super) fn report(&self, location: &str, report: &mut Report) {
        if !self.tags.is_empty() {
            report.warn(
                location,
                format!(
                    "Insomnia template tags kept as text, Localpost does not run them: {}",
                    self.tags.iter().map(|t| format!("{{% {t} %}}")).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if !self.expressions.is_empty() {
            report.warn(
                location,
                format!(
                    "template expressions kept as text (only plain variable names convert): {}",
                    self.expressions.iter().map(|e| format!("{{{{ {e} }}}}")).collect::<Vec<_>>().join(", ")
                ),
            );
        }
    }
}
