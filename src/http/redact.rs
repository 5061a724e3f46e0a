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
}
