//! cURL command lines, as pasted from a terminal, documentation or a browser's "Copy as cURL".
//!
//! The text is split into words the way a POSIX shell would (quotes, `$'...'`, backslash
//! escapes and line continuations; `^` continuations of Windows' cmd and PowerShell's backtick
//! too), then curl's own options are read. What a request cannot hold (a proxy, an output file,
//! client certificates) is listed in the report rather than silently dropped.

mod build;
mod options;
mod words;

use super::tree::Tree;
use crate::interop::{Format, ImportError, Imported, Report};
use crate::model::{Collection, CollectionId, ParentId, Request};
use build::build_request;
use options::{DataPart, Parsed, command_to_request};
use words::{Command, Word, split_commands};

/// Reads one cURL command (the first, when the text holds several) into a request.
///
/// This is what the app uses when a user pastes a cURL command. Anything the command asks for
/// that a request cannot hold is dropped; [`parse_with_report`] says what.
pub fn parse(text: &str) -> Result<Request, ImportError> {
    parse_with_report(text).map(|(request, _)| request)
}

/// Like [`parse`], with the report of what did not carry over.
pub fn parse_with_report(text: &str) -> Result<(Request, Report), ImportError> {
    let commands = split_commands(text)?;
    let Some(command) = commands.into_iter().find(|c| is_curl(&c.words)) else {
        return Err(no_curl());
    };
    let mut report = Report::default();
    let request = command_to_request(&command, "cURL command", &mut report)?;
    Ok((request, report))
}

fn no_curl() -> ImportError {
    ImportError::Shape {
        format: Format::Curl,
        path: "line 1".into(),
        message: "no command starting with `curl`".into(),
    }
}

/// Whether text starts like a cURL command (after blank and `#` comment lines, and optionally a
/// `$ ` prompt).
pub(crate) fn looks_like(text: &str) -> bool {
    let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')) else {
        return false;
    };
    let text = first.strip_prefix("$ ").unwrap_or(first).trim_start();
    let word: String = text.chars().take_while(|c| !c.is_whitespace()).collect();
    let word = word.to_ascii_lowercase();
    word == "curl" || word == "curl.exe" || word.ends_with("/curl")
}

/// Every cURL command in `text` becomes a request of one collection.
pub(crate) fn import(text: &str, source_name: &str) -> Result<Imported, ImportError> {
    let name = super::stem(source_name);
    let commands = split_commands(text)?;
    let mut report = Report::default();
    let mut tree = Tree::new(uuid::Uuid::new_v4(), &name);
    let mut collection = Collection::new(&name);
    collection.id = CollectionId::new();
    let collection_id = tree.add_collection(collection);
    let mut count = 0;
    for command in &commands {
        if !is_curl(&command.words) {
            let first = command.words.first().map_or("", |w| w.text.as_str());
            report
                .warn(format!("line {}", command.line), format!("`{first}` is not a curl command; ignored"));
            continue;
        }
        count += 1;
        let location = format!("command {count} (line {})", command.line);
        let request = command_to_request(command, &location, &mut report)?;
        tree.add_request(ParentId::Collection(collection_id), request);
    }
    if count == 0 {
        return Err(no_curl());
    }
    Ok(Imported {
        format: Format::Curl,
        workspaces: vec![tree.into_data()],
        cookies: Vec::new(),
        report,
        bundle: None,
    })
}

fn is_curl(words: &[Word]) -> bool {
    words.first().is_some_and(|w| {
        let w = w.text.to_ascii_lowercase();
        w == "curl" || w == "curl.exe" || w.ends_with("/curl")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Auth, BodyMode, DigestAuth, FormPartKind, KeyValue, Method};

    fn words(text: &str) -> Vec<String> {
        split_commands(text).unwrap().remove(0).words.into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(
            words(r#"curl 'a b' "c \"d\" \$e" f\ g $'h\ni' "x"'y'z"#),
            ["curl", "a b", "c \"d\" $e", "f g", "h\ni", "xyz"]
        );
        assert_eq!(words("curl \\\n  -X POST \\\n  http://x"), ["curl", "-X", "POST", "http://x"]);
        assert_eq!(words("curl http://x/a\\?b"), ["curl", "http://x/a?b"]);
    }

    #[test]
    fn windows_and_powershell_continuations() {
        assert_eq!(
            words("curl \"http://x/\" ^\n  -H ^\"Accept: */*^\" ^\n  --compressed"),
            ["curl", "http://x/", "-H", "Accept: */*", "--compressed"]
        );
        assert_eq!(words("curl http://x `\n -k"), ["curl", "http://x", "-k"]);
    }

    #[test]
    fn unterminated_quote_is_a_syntax_error() {
        let err = parse("curl 'http://x\n -H foo").unwrap_err();
        assert!(matches!(err, ImportError::Syntax { line: 1, column: 6, .. }), "{err:?}");
    }

    #[test]
    fn commands_end_at_separators() {
        let commands = split_commands("curl http://a | jq .\ncurl http://b; echo done").unwrap();
        let firsts: Vec<&str> = commands.iter().map(|c| c.words[0].text.as_str()).collect();
        assert_eq!(firsts, ["curl", "jq", "curl", "echo"]);
    }

    #[test]
    fn clustered_short_options() {
        let request = parse("curl -sSLk -XPUT -HX-A:1 -d@body.json http://x").unwrap();
        assert_eq!(request.method, Method::Put);
        assert_eq!(request.settings.follow_redirects, Some(true));
        assert_eq!(request.settings.verify_tls, Some(false));
        assert_eq!(request.headers, [KeyValue::new("X-A", "1")]);
        assert_eq!((request.body.mode, request.body.binary_path.as_str()), (BodyMode::Binary, "body.json"));
    }

    #[test]
    fn data_urlencode_and_get() {
        let request = parse("curl -G http://x/s --data-urlencode 'q=a b&c' -d n=1").unwrap();
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.url, "http://x/s?q=a%20b%26c&n=1");
        assert_eq!(request.body.mode, BodyMode::None);
    }

    #[test]
    fn form_data_becomes_rows_when_clean() {
        let request = parse("curl -d 'a=1&b=x%20y' --data-urlencode 'c=d e' http://x").unwrap();
        assert_eq!(request.method, Method::Post);
        let rows: Vec<(&str, &str)> =
            request.body.urlencoded.iter().map(|r| (r.key.as_str(), r.value.as_str())).collect();
        assert_eq!(rows, [("a", "1"), ("b", "x y"), ("c", "d e")]);
    }

    #[test]
    fn multipart_with_file_and_type() {
        let request = parse("curl -F 'name=x' -F 'file=@/tmp/a.png;type=image/png' http://x").unwrap();
        assert_eq!(request.body.mode, BodyMode::Multipart);
        assert_eq!(request.body.multipart[1].kind, FormPartKind::File("/tmp/a.png".into()));
        assert_eq!(request.body.multipart[1].content_type, "image/png");
    }

    #[test]
    fn auth_flags() {
        let digest = parse("curl --digest -u 'a:b:c' http://x").unwrap();
        assert_eq!(
            digest.auth,
            Auth::Digest(DigestAuth {
                username: "a".into(),
                password: "b:c".into(),
                ..DigestAuth::default()
            })
        );
        let bearer = parse("curl --oauth2-bearer tok http://x").unwrap();
        assert_eq!(bearer.auth, Auth::Bearer { token: "tok".into() });
        let none = parse("curl -H 'Authorization: Bearer t' http://x").unwrap();
        assert_eq!(none.auth, Auth::None);
        let aws = parse("curl --aws-sigv4 aws:amz:eu-west-1:s3 -u AK:SK https://x").unwrap();
        let Auth::AwsSigV4(aws) = aws.auth else { panic!() };
        assert_eq!(
            (aws.region.as_str(), aws.service.as_str(), aws.access_key.as_str()),
            ("eu-west-1", "s3", "AK")
        );
    }

    #[test]
    fn proxy_is_reported_without_credentials() {
        let (_, report) = parse_with_report("curl -x http://u:p@proxy:8080 -U u:p http://x").unwrap();
        let text: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0].contains("http://(credentials)@proxy:8080"));
        assert!(!text.iter().any(|t| t.contains("u:p")));
    }

    #[test]
    fn url_query_and_head() {
        let request = parse("curl -I --url-query 'a=b c' --url-query +raw=%41 https://x/p#frag").unwrap();
        assert_eq!(request.method, Method::Head);
        assert_eq!(request.url, "https://x/p?a=b%20c&raw=%41#frag");
    }

    #[test]
    fn a_pasted_prompt_is_skipped() {
        assert_eq!(parse("$ curl -s https://x/p").unwrap().url, "https://x/p");
    }

    #[test]
    fn no_url_is_an_error() {
        let err = parse("curl -X POST").unwrap_err();
        assert_eq!(err.to_string(), "read as cURL command: line 1: the command has no URL");
    }
}
