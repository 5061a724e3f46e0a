//! Ready-made script snippets, as Postman lists them beside its script editor: a click adds one
//! at the end of the script.

use super::Event;

/// One snippet: its name in the list and the code it adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub name: &'static str,
    pub code: &'static str,
    /// Only in test (post-response) scripts: it reads `pm.response`.
    pub tests_only: bool,
}

impl Snippet {
    /// Whether the list of `event`'s editor offers it.
    pub fn applies_to(&self, event: Event) -> bool {
        !self.tests_only || event == Event::Test
    }
}

/// Every snippet, in the order the list shows them.
pub const SNIPPETS: &[Snippet] = &[
    Snippet {
        name: "Status code is 200",
        code: "pm.test(\"Status code is 200\", function () {\n    pm.response.to.have.status(200);\n});\n",
        tests_only: true,
    },
    Snippet {
        name: "Response body: JSON value check",
        code: "pm.test(\"Your test name\", function () {\n    var jsonData = pm.response.json();\n    pm.expect(jsonData.value).to.eql(100);\n});\n",
        tests_only: true,
    },
    Snippet {
        name: "Response body: contains string",
        code: "pm.test(\"Body matches string\", function () {\n    pm.expect(pm.response.text()).to.include(\"string_you_want_to_search\");\n});\n",
        tests_only: true,
    },
    Snippet {
        name: "Response time is less than 200ms",
        code: "pm.test(\"Response time is less than 200ms\", function () {\n    pm.expect(pm.response.responseTime).to.be.below(200);\n});\n",
        tests_only: true,
    },
    Snippet {
        name: "Check a header",
        code: "pm.test(\"Content-Type is present\", function () {\n    pm.response.to.have.header(\"Content-Type\");\n});\n",
        tests_only: true,
    },
    Snippet {
        name: "Set an environment variable",
        code: "pm.environment.set(\"variable_key\", \"variable_value\");\n",
        tests_only: false,
    },
    Snippet {
        name: "Get an environment variable",
        code: "pm.environment.get(\"variable_key\");\n",
        tests_only: false,
    },
    Snippet {
        name: "Set a global variable",
        code: "pm.globals.set(\"variable_key\", \"variable_value\");\n",
        tests_only: false,
    },
    Snippet {
        name: "Set a collection variable",
        code: "pm.collectionVariables.set(\"variable_key\", \"variable_value\");\n",
        tests_only: false,
    },
    Snippet {
        name: "Send a request",
        code: "pm.sendRequest(\"https://postman-echo.com/get\", function (err, response) {\n    console.log(err ? err : response.json());\n});\n",
        tests_only: false,
    },
];

/// `script` with `snippet` added at the end, on a line of its own.
pub fn append(script: &str, snippet: &Snippet) -> String {
    let mut out = script.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(snippet.code);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{
        KeyValue, Limits, NoOutbound, ResponseView, Sandbox, SandboxInput, ScriptSource, TestStatus,
    };

    /// Every snippet runs as written: no syntax error, no exception (the test snippets against
    /// a response they hold for, but for the JSON value they check as placeholders).
    #[test]
    fn every_snippet_runs_without_an_error() {
        let response = ResponseView {
            code: 200,
            status: "OK".into(),
            headers: vec![KeyValue {
                key: "Content-Type".into(),
                value: "application/json".into(),
                disabled: false,
            }],
            response_time_ms: 5,
            body: r#"{"value":100,"text":"string_you_want_to_search"}"#.into(),
            ..ResponseView::default()
        };
        for snippet in SNIPPETS {
            let mut sandbox = Sandbox::new(&SandboxInput::default(), Limits::default()).expect("a sandbox");
            let script = vec![ScriptSource { owner: "request \"R\"".into(), code: snippet.code.into() }];
            let event = if snippet.tests_only { Event::Test } else { Event::PreRequest };
            let out = sandbox.run(event, &script, Some(&response), None, &NoOutbound);
            assert!(out.errors.is_empty(), "{}: {:?}", snippet.name, out.errors);
            assert!(
                out.tests.iter().all(|t| t.status == TestStatus::Passed),
                "{}: {:?}",
                snippet.name,
                out.tests
            );
        }
    }

    #[test]
    fn a_snippet_goes_on_a_line_of_its_own_at_the_end() {
        let s = &SNIPPETS[0];
        assert_eq!(append("", s), s.code);
        assert_eq!(append("let a = 1;", s), format!("let a = 1;\n{}", s.code));
        assert_eq!(append("let a = 1;\n", s), format!("let a = 1;\n{}", s.code));
    }
}
