//! What history must not keep: auth headers and the values of secret variables.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use crate::model::SentRequest;

/// Replaces a redacted header's value (after its scheme word, if any).
pub const REDACTED: &str = "(redacted)";
/// Replaces a secret variable's value wherever it appears.
pub const SECRET: &str = "(secret)";

/// Header names (lowercase) and secret values to hide in a [`SentRequest`] kept in history.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Redactions {
    pub header_names: Vec<String>,
    pub secret_values: Vec<String>,
}

impl std::fmt::Debug for Redactions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactions")
            .field("header_names", &self.header_names)
            .field("secret_values", &format_args!("({} hidden)", self.secret_values.len()))
            .finish()
    }
}

impl Redactions {
    pub fn add_header(&mut self, name: &str) {
        let name = name.to_ascii_lowercase();
        if !self.header_names.contains(&name) {
            self.header_names.push(name);
        }
    }

    /// Hides secrets in `text`, in plain and percent-encoded form.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        // Longest first, so a secret containing another is replaced whole.
        let mut secrets: Vec<&String> = self.secret_values.iter().filter(|s| !s.is_empty()).collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for secret in secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), SECRET);
            }
            let encoded = utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string();
            if encoded != **secret && out.contains(&encoded) {
                out = out.replace(&encoded, SECRET);
            }
            let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
            if form != **secret && out.contains(&form) {
                out = out.replace(&form, SECRET);
            }
        }
        out
    }

    /// The request as written, safe to keep: every secret value typed in literally (a token
    /// pasted into the auth tab, a secret variable's value written out) is cut out of every
    /// field, `{{templates}}` stay so a later send resolves them anew. Saved examples are left
    /// out. Returns the copy and whether anything was cut; `None` if the request does not
    /// round-trip (then history keeps no written copy).
    pub fn strip_request(&self, request: &crate::model::Request) -> Option<(crate::model::Request, bool)> {
        let mut copy = request.clone();
        copy.examples.clear();
        let mut value = serde_json::to_value(&copy).ok()?;
        let mut cut = false;
        self.strip_value(&mut value, &mut cut);
        let stripped = serde_json::from_value(value).ok()?;
        Some((stripped, cut))
    }

    fn strip_value(&self, value: &mut serde_json::Value, cut: &mut bool) {
        match value {
            serde_json::Value::String(text) => {
                let stripped = self.strip_text(text);
                if stripped != *text {
                    *text = stripped;
                    *cut = true;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.strip_value(v, cut)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| self.strip_value(v, cut)),
            _ => {}
        }
    }

    /// `text` without the secret values in it (plain and percent-encoded), templates kept.
    fn strip_text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        let mut secrets: Vec<&String> = self.secret_values.iter().filter(|s| !s.is_empty()).collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for secret in secrets {
            // A secret that is itself a template's text (`{{token}}` resolved to a literal
            // "{{token}}") is not cut: the template is what is kept.
            if out.contains(secret.as_str()) && !is_template_text(secret) {
                out = out.replace(secret.as_str(), "");
            }
            let encoded = utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string();
            if encoded != **secret && out.contains(&encoded) {
                out = out.replace(&encoded, "");
            }
        }
        out
    }

    /// A copy of `sent` safe to keep: auth headers and secret values hidden.
    pub fn apply(&self, sent: &SentRequest) -> SentRequest {
        let mut out = sent.clone();
        out.url = self.scrub(&out.url);
        for h in &mut out.headers {
            let lower = h.name.to_ascii_lowercase();
            if self.header_names.contains(&lower) || lower == "proxy-authorization" {
                h.value = match h.value.split_once(' ') {
                    Some((scheme, _)) if scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => {
                        format!("{scheme} {REDACTED}")
                    }
                    _ => REDACTED.to_owned(),
                };
            } else {
                h.value = self.scrub(&h.value);
            }
        }
        if let Some(crate::model::StoredBody::Text(text)) = &out.body {
            let scrubbed = self.scrub(text);
            if scrubbed != *text {
                out.body = Some(crate::model::StoredBody::Text(scrubbed));
            }
        }
        out.body_summary = self.scrub(&out.body_summary);
        out
    }
}

/// Whether `text` is one `{{variable}}` and nothing else.
fn is_template_text(text: &str) -> bool {
    let t = text.trim();
    t.starts_with("{{") && t.ends_with("}}") && t[2..t.len() - 2].find("{{").is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Header, StoredBody};

    #[test]
    fn hides_auth_headers_and_secret_values_everywhere() {
        let r = Redactions {
            header_names: vec!["authorization".into(), "x-api-key".into()],
            secret_values: vec!["p@ss word".into(), "tok".into()],
        };
        let sent = SentRequest {
            url: "https://h/?key=p%40ss%20word&t=tok".into(),
            headers: vec![
                Header::new("Authorization", "Bearer abc.def"),
                Header::new("X-Api-Key", "k123"),
                Header::new("X-Note", "uses tok"),
            ],
            body: Some(StoredBody::Text("password=p%40ss+word".into())),
            ..SentRequest::default()
        };
        let safe = r.apply(&sent);
        assert_eq!(safe.url, "https://h/?key=(secret)&t=(secret)");
        assert_eq!(safe.headers[0].value, "Bearer (redacted)");
        assert_eq!(safe.headers[1].value, "(redacted)");
        assert_eq!(safe.headers[2].value, "uses (secret)");
        assert_eq!(safe.body, Some(StoredBody::Text("password=(secret)".into())));
        assert!(!format!("{r:?}").contains("tok"));
    }

    #[test]
    fn a_written_copy_keeps_templates_and_loses_literal_secrets() {
        use crate::model::{Auth, Request};
        let r =
            Redactions { header_names: vec!["authorization".into()], secret_values: vec!["s3cr3t".into()] };
        let mut templated = Request::new("t").with_url("{{base}}/post");
        templated.auth = Auth::Bearer { token: "{{token}}".into() };
        let (copy, cut) = r.strip_request(&templated).unwrap();
        assert!(!cut);
        assert_eq!(copy.auth, Auth::Bearer { token: "{{token}}".into() });
        let mut literal = Request::new("l").with_url("{{base}}/post?key=s3cr3t");
        literal.auth = Auth::Bearer { token: "s3cr3t".into() };
        let (copy, cut) = r.strip_request(&literal).unwrap();
        assert!(cut);
        assert_eq!(copy.auth, Auth::Bearer { token: String::new() });
        assert_eq!(copy.url, "{{base}}/post?key=");
    }
}
