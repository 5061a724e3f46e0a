//! The script sandbox on its own: Postman's API, chai's messages, the libraries, the limits.
//! (Scripts in runs and in the window: tests/script_runner.rs, tests/app_scripts.rs.)
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::time::{Duration, Instant};

use localpost::script::{
    Event, KeyValue, Limits, NextRequest, NoOutbound, RequestView, ResponseView, Sandbox, SandboxInput,
    ScriptSource, TestStatus, VarOp, VarScope,
};

fn input() -> SandboxInput {
    let mut input = SandboxInput::default();
    input.variables.environment.insert("base".into(), "http://127.0.0.1:9".into());
    input.variables.environment.insert("token".into(), "abc".into());
    input.variables.globals.insert("g".into(), "global".into());
    input.variables.collection.insert("c".into(), "coll".into());
    input.variables.data.insert("row".into(), "7".into());
    input.environment_name = Some("Dev".into());
    input.request = RequestView {
        id: "r1".into(),
        name: "Login".into(),
        method: "POST".into(),
        url: "{{base}}/post?a=1".into(),
        headers: vec![KeyValue { key: "X-One".into(), value: "1".into(), disabled: false }],
        body: None,
    };
    input.info.request_name = "Login".into();
    input.info.iteration_count = 1;
    input
}

fn response(code: u16, body: &str) -> ResponseView {
    ResponseView {
        code,
        status: if code == 200 { "OK".into() } else { "Not Found".into() },
        headers: vec![KeyValue {
            key: "Content-Type".into(),
            value: "application/json; charset=utf-8".into(),
            disabled: false,
        }],
        response_time_ms: 12,
        response_size_bytes: body.len() as u64,
        cookies: Vec::new(),
        body: body.into(),
    }
}

fn script(code: &str) -> Vec<ScriptSource> {
    vec![ScriptSource { owner: "request \"Login\"".into(), code: code.into() }]
}

fn test_event(code: &str, resp: &ResponseView) -> localpost::script::EventOutput {
    let mut sandbox = Sandbox::new(&input(), Limits::default()).expect("sandbox");
    sandbox.run(Event::Test, &script(code), Some(resp), None, &NoOutbound)
}

fn pre(code: &str) -> localpost::script::EventOutput {
    let mut sandbox = Sandbox::new(&input(), Limits::default()).expect("sandbox");
    sandbox.run(Event::PreRequest, &script(code), None, None, &NoOutbound)
}

fn outcomes(out: &localpost::script::EventOutput) -> Vec<(String, TestStatus, String)> {
    out.tests.iter().map(|t| (t.name.clone(), t.status, t.error.clone())).collect()
}

#[test]
fn pm_test_passes_fails_and_skips_with_chais_messages() {
    let out = test_event(
        r#"
        pm.test("status is 200", function () { pm.response.to.have.status(200); });
        pm.test("wrong status", () => pm.response.to.have.status(201));
        pm.test("equal", () => pm.expect(1).to.equal(2));
        pm.test("deep", () => pm.expect({ a: 1 }).to.eql({ a: 2 }));
        pm.test("include", () => pm.expect('abc').to.include('x'));
        pm.test("above", () => pm.expect(3).to.be.above(5));
        pm.test("type", () => pm.expect([]).to.be.an('object'));
        pm.test("property", () => pm.expect({ a: 1 }).to.have.property('b'));
        pm.test("length", () => pm.expect([1, 2]).to.have.lengthOf(3));
        pm.test("not", () => pm.expect(1).to.not.equal(1));
        pm.test("thrown TypeError", () => { null.x; });
        pm.test.skip("later", () => {});
        pm.test("json", () => pm.expect(pm.response.json().args.a).to.eql("1"));
        "#,
        &response(200, r#"{"args":{"a":"1"}}"#),
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let t = outcomes(&out);
    let expect = [
        ("status is 200", TestStatus::Passed, ""),
        ("wrong status", TestStatus::Failed, "expected response to have status code 201 but got 200"),
        ("equal", TestStatus::Failed, "expected 1 to equal 2"),
        ("deep", TestStatus::Failed, "expected { a: 1 } to deeply equal { a: 2 }"),
        ("include", TestStatus::Failed, "expected 'abc' to include 'x'"),
        ("above", TestStatus::Failed, "expected 3 to be above 5"),
        ("type", TestStatus::Failed, "expected [] to be an object"),
        ("property", TestStatus::Failed, "expected { a: 1 } to have property 'b'"),
        ("length", TestStatus::Failed, "expected [ 1, 2 ] to have a length of 3 but got 2"),
        ("not", TestStatus::Failed, "expected 1 to not equal 1"),
        ("thrown TypeError", TestStatus::Failed, "TypeError: cannot read property 'x' of null"),
        ("later", TestStatus::Skipped, ""),
        ("json", TestStatus::Passed, ""),
    ];
    assert_eq!(t.len(), expect.len(), "{t:#?}");
    for ((name, status, error), (en, es, ee)) in t.iter().zip(expect) {
        assert_eq!((name.as_str(), *status, error.as_str()), (en, es, ee));
    }
}

#[test]
fn the_chai_chain_reads_as_chai() {
    let out = test_event(
        r#"
        const ok = [
          () => pm.expect([1, 2, 3]).to.include.members([1, 2]),
          () => pm.expect([3, 1, 2]).to.have.members([1, 2, 3]),
          () => pm.expect({ a: 1, b: 2 }).to.have.all.keys('a', 'b'),
          () => pm.expect({ a: 1, b: 2 }).to.have.any.keys('a', 'z'),
          () => pm.expect({ a: 1, b: 2 }).to.include({ a: 1 }),
          () => pm.expect({ a: { b: [1, { c: 3 }] } }).to.have.nested.property('a.b[1].c', 3),
          () => pm.expect({ a: 1 }).to.have.own.property('a').that.is.a('number').and.equals(1),
          () => pm.expect('hello').to.match(/ell/).and.have.lengthOf(5),
          () => pm.expect([1, 2, 3]).to.have.length.above(2),
          () => pm.expect(5).to.be.within(1, 10).and.at.least(5).and.at.most(5),
          () => pm.expect(null).to.be.null,
          () => pm.expect(undefined).to.be.undefined,
          () => pm.expect(NaN).to.be.NaN,
          () => pm.expect('').to.be.empty,
          () => pm.expect({}).to.be.empty,
          () => pm.expect(1).to.exist,
          () => pm.expect(true).to.be.true,
          () => pm.expect(0).to.not.be.ok,
          () => pm.expect(2).to.be.oneOf([1, 2]),
          () => pm.expect([{ a: 1 }]).to.deep.include({ a: 1 }),
          () => pm.expect(new Date()).to.be.instanceOf(Date),
          () => pm.expect('abc').to.have.string('b'),
          () => pm.expect(() => { throw new TypeError('bad thing'); }).to.throw(TypeError, 'bad'),
          () => pm.expect(1.5).to.be.closeTo(1, 0.5),
          () => pm.expect(pm.response).to.have.header('content-type'),
          () => pm.response.to.have.header('Content-Type', 'application/json; charset=utf-8'),
          () => pm.response.to.be.ok,
          () => pm.response.to.be.success,
          () => pm.response.to.not.be.error,
          () => pm.response.to.be.json,
          () => pm.response.to.have.jsonBody('args.a', '1'),
          () => pm.response.to.have.status('OK'),
          () => pm.response.to.have.jsonSchema({ type: 'object', required: ['args'] }),
          () => pm.expect(pm.response.code).to.eql(200),
          () => pm.expect(pm.response.headers.get('content-type')).to.include('json'),
          () => pm.expect(pm.response.responseTime).to.be.below(1000),
        ];
        ok.forEach((f, i) => pm.test("ok " + i, f));
        "#,
        &response(200, r#"{"args":{"a":"1"}}"#),
    );
    let failed: Vec<_> = outcomes(&out).into_iter().filter(|t| t.1 != TestStatus::Passed).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(out.tests.len(), 36);
}

// The rarer words (chai-more.js) and the SDK's objects (sandbox-sdk.js) are loaded into a sandbox
// the first time a script reads one: each must work as the very first thing a fresh sandbox reads.
#[test]
fn every_word_loaded_on_first_use_works_as_the_first_one_read() {
    let resp = response(200, r#"{"args":{"a":"1"}}"#);
    let cases = [
        "pm.expect(NaN).to.be.NaN",
        "pm.expect(1).to.be.finite",
        "pm.expect(5).to.be.within(1, 10)",
        "pm.expect(1.5).to.be.closeTo(1, 0.5)",
        "pm.expect(1.5).to.be.approximately(1, 0.5)",
        "pm.expect('abc').to.have.string('b')",
        "pm.expect(new Date()).to.be.instanceOf(Date)",
        "pm.expect(new Date()).to.be.an.instanceof(Date)",
        "pm.expect(2).to.be.oneOf([1, 2])",
        "pm.expect(2).to.satisfy((n) => n > 1)",
        "pm.expect(2).satisfies((n) => n > 1)",
        "pm.expect({ a: 1 }).to.have.ownProperty('a')",
        "pm.expect({ a: 1 }).to.haveOwnProperty('a')",
        "pm.expect({ a: 1 }).to.have.keys('a')",
        "pm.expect({ a: 1 }).to.have.key('a')",
        "pm.expect([1, 2]).to.have.members([2, 1])",
        "pm.expect(() => { throw new Error('x'); }).to.throw('x')",
        "pm.expect(() => { throw new Error('x'); }).throws()",
        "pm.expect(() => { throw new Error('x'); }).to.Throw()",
        "pm.expect({ f() {} }).to.respondTo('f')",
        "pm.expect({ f() {} }).respondsTo('f')",
        "pm.response.to.be.success",
        "pm.response.to.not.be.info",
        "pm.response.to.not.be.redirection",
        "pm.response.to.not.be.clientError",
        "pm.response.to.not.be.serverError",
        "pm.response.to.not.be.error",
        "pm.response.to.not.be.accepted",
        "pm.response.to.not.be.badRequest",
        "pm.response.to.not.be.unauthorized",
        "pm.response.to.not.be.forbidden",
        "pm.response.to.not.be.notFound",
        "pm.response.to.not.be.rateLimited",
        "pm.response.to.be.withBody",
        "pm.response.to.not.be.html",
        "pm.response.to.not.be.xml",
        "pm.response.to.have.statusCode(200)",
        "pm.response.to.have.body({ args: { a: '1' } })",
        "pm.response.to.have.jsonSchema({ type: 'object' })",
        "pm.response.to.have.header('content-type')",
        "pm.expect(pm.response.headers.get('Content-Type')).to.include('json')",
        "pm.expect(pm.response.headers.toObject()).to.have.property('Content-Type')",
        "pm.expect(pm.response.cookies.count()).to.equal(0)",
        "pm.expect(pm.cookies.count()).to.equal(0)",
        "pm.expect(pm.request.url.getPath()).to.equal('/post')",
        "pm.expect(pm.request.headers.get('x-one')).to.equal('1')",
        "pm.expect(new (require('postman-collection').Url)('http://h/p?q=1').query.get('q')).to.equal('1')",
        "pm.expect(responseHeaders['Content-Type']).to.include('json')",
        "pm.expect(postman.getResponseHeader('content-type')).to.include('json')",
        "pm.response.to.have.jsonBody('args.a', '1')",
        "pm.expect(JSON.parse(responseBody).args.a).to.equal('1')",
        "pm.expect(responseCode.code).to.equal(200)",
        "pm.expect(responseTime).to.be.a('number')",
        "pm.expect(responseCookies).to.eql([])",
        "pm.expect(environment).to.eql({ base: 'http://127.0.0.1:9', token: 'abc' })",
        "pm.expect(globals).to.be.an('object')",
        "pm.expect(data).to.be.an('object')",
        "pm.expect(request.method).to.equal('POST')",
        "pm.expect(postman.getEnvironmentVariable('token')).to.equal('abc')",
        "pm.expect(postman.getResponseCookie('none')).to.be.undefined",
    ];
    for case in cases {
        let out = test_event(&format!("pm.test('t', () => {{ {case}; }});"), &resp);
        assert!(out.errors.is_empty(), "{case}: {:?}", out.errors);
        assert_eq!(out.tests.len(), 1, "{case}");
        assert_eq!(out.tests[0].status, TestStatus::Passed, "{case}: {}", out.tests[0].error);
    }
    // And failing, with chai's message, as the first word read (a word that asserts when read
    // and was not loaded would read as `undefined` and pass: these show it asserted).
    let failing = [
        ("pm.expect(3).to.be.within(1, 2)", "expected 3 to be within 1..2"),
        ("pm.expect({ a: 1 }).to.have.keys('b')", "expected { a: 1 } to have key 'b'"),
        ("pm.expect(1).to.be.NaN", "expected 1 to be NaN"),
        ("pm.expect('x').to.be.finite", "expected 'x' to be a finite number"),
        ("pm.response.to.be.serverError", "expected response code to be 5XX but found 200"),
        ("pm.response.to.be.notFound", "expected response code to be 404 but found 200"),
        ("pm.response.to.be.html", "expected response to be html but got 'application/json; charset=utf-8'"),
        ("pm.response.to.be.error", "expected response code to be 4XX or 5XX but found 200"),
        (
            "pm.response.to.have.jsonBody('args.b')",
            "expected { args: { a: '1' } } in response to contain property 'args.b'",
        ),
    ];
    for (case, message) in failing {
        let out = test_event(&format!("pm.test('t', () => {{ {case}; }});"), &resp);
        assert_eq!(out.tests[0].status, TestStatus::Failed, "{case}");
        assert_eq!(out.tests[0].error, message, "{case}");
    }
    // A word no part defines is still nothing.
    let out = test_event("pm.test('t', () => pm.expect(pm.expect(1).to.nosuchword).to.be.undefined);", &resp);
    assert_eq!(out.tests[0].status, TestStatus::Passed, "{}", out.tests[0].error);
    // Changing the request from a pre-request script loads the SDK and reports the change.
    let out = pre("pm.request.headers.upsert({ key: 'X-Two', value: '2' });");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let changed = out.request.expect("the request changed");
    assert!(changed.headers.iter().any(|h| h.key == "X-Two" && h.value == "2"), "{changed:?}");
}

// Found with newman (newman-whatwg-url-unicode): scripts build Basic auth with Node's `Buffer`.
#[test]
fn buffer_encodes_as_nodes_does() {
    let out = test_event(
        r#"
        const cases = [
          [Buffer.from('us@r:p@ssword').toString('base64'), 'dXNAcjpwQHNzd29yZA=='],
          [Buffer.from('dXNAcjpwQHNzd29yZA==', 'base64').toString(), 'us@r:p@ssword'],
          [Buffer.from('é✓😀').toString('hex'), 'c3a9e29c93f09f9880'],
          [Buffer.from('c3a9e29c93f09f9880', 'hex').toString('utf8'), 'é✓😀'],
          [Buffer.from([104, 105]).toString(), 'hi'],
          [Buffer.from('ÿ', 'latin1').toString('base64'), '/w=='],
          [Buffer.from('a?b>', 'utf8').toString('base64url'), 'YT9iPg'],
          [Buffer.concat([Buffer.from('a'), Buffer.from('b')]).toString(), 'ab'],
          [String(Buffer.byteLength('é')), '2'],
          [String(Buffer.isBuffer(Buffer.alloc(2))), 'true'],
          [require('buffer').Buffer.from('x').toString('base64'), 'eA=='],
        ];
        cases.forEach(([got, want], i) => pm.test('case ' + i, () => pm.expect(got).to.equal(want)));
        "#,
        &response(200, "{}"),
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let failed: Vec<_> = outcomes(&out).into_iter().filter(|t| t.1 != TestStatus::Passed).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert_eq!(out.tests.len(), 11);
}

#[test]
fn variable_writes_go_to_the_scope_named_in_order() {
    let out = pre(r#"
        pm.environment.set("token", "new");
        pm.globals.set("n", 5);
        pm.collectionVariables.set("obj", { a: 1 });
        pm.variables.set("local", "L");
        pm.environment.unset("base");
        postman.setEnvironmentVariable("legacy", "yes");
        pm.test("reads see writes", () => {
          pm.expect(pm.environment.get("token")).to.equal("new");
          pm.expect(pm.variables.get("local")).to.equal("L");
          pm.expect(pm.variables.get("row")).to.equal("7");
          pm.expect(pm.variables.get("c")).to.equal("coll");
          pm.expect(pm.variables.get("g")).to.equal("global");
          pm.expect(pm.iterationData.get("row")).to.equal("7");
          pm.expect(pm.environment.has("base")).to.be.false;
          pm.expect(pm.variables.replaceIn("{{token}}-{{local}}-{{missing}}")).to.equal("new-L-{{missing}}");
          pm.expect(pm.environment.name).to.equal("Dev");
        });
        "#);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.tests[0].status, TestStatus::Passed, "{:?}", out.tests[0].error);
    assert_eq!(
        out.ops,
        vec![
            VarOp::Set {
                scope: VarScope::Environment,
                key: "token".into(),
                value: "new".into(),
                typed: None
            },
            VarOp::Set {
                scope: VarScope::Globals,
                key: "n".into(),
                value: "5".into(),
                typed: Some(serde_json::json!(5))
            },
            VarOp::Set {
                scope: VarScope::Collection,
                key: "obj".into(),
                value: r#"{"a":1}"#.into(),
                typed: Some(serde_json::json!({ "a": 1 }))
            },
            VarOp::Set { scope: VarScope::Local, key: "local".into(), value: "L".into(), typed: None },
            VarOp::Unset { scope: VarScope::Environment, key: "base".into() },
            VarOp::Set {
                scope: VarScope::Environment,
                key: "legacy".into(),
                value: "yes".into(),
                typed: None
            },
        ]
    );
}

#[test]
fn a_pre_request_script_changes_the_request() {
    let out = pre(r#"
        pm.request.headers.add({ key: "X-Two", value: "2" });
        pm.request.headers.upsert({ key: "x-one", value: "uno" });
        pm.request.url.query.add({ key: "b", value: "{{token}}" });
        pm.request.method = "put";
        pm.request.body = { mode: "raw", raw: "hello" };
        "#);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let changed = out.request.expect("request changed");
    assert_eq!(changed.method, "PUT");
    assert_eq!(changed.url, "{{base}}/post?a=1&b={{token}}");
    assert_eq!(
        changed.headers.iter().map(|h| (h.key.as_str(), h.value.as_str())).collect::<Vec<_>>(),
        [("X-One", "uno"), ("X-Two", "2")]
    );
    assert_eq!(changed.body.and_then(|b| b.raw).as_deref(), Some("hello"));
    assert!(pre("pm.request.headers.get('X-One');").request.is_none(), "reading changes nothing");
}

#[test]
fn legacy_sandbox_globals_work() {
    let out = test_event(
        r#"
        tests["status code is 200"] = responseCode.code === 200;
        tests["body has args"] = responseBody.has ? true : responseBody.indexOf("args") > -1;
        tests["fails"] = false;
        var data = JSON.parse(responseBody);
        postman.setGlobalVariable("a", data.args.a);
        tests["header"] = postman.getResponseHeader("content-type").indexOf("json") > 0;
        tests["env"] = environment.token === "abc" && globals.g === "global";
        tests["time"] = responseTime === 12;
        tests["iteration"] = iteration === 0;
        tests["request"] = request.method === "POST" && request.name === "Login";
        "#,
        &response(200, r#"{"args":{"a":"1"}}"#),
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let t: Vec<_> = outcomes(&out).into_iter().map(|t| (t.0, t.1)).collect();
    assert_eq!(
        t,
        [
            ("status code is 200".to_owned(), TestStatus::Passed),
            ("body has args".to_owned(), TestStatus::Passed),
            ("fails".to_owned(), TestStatus::Failed),
            ("header".to_owned(), TestStatus::Passed),
            ("env".to_owned(), TestStatus::Passed),
            ("time".to_owned(), TestStatus::Passed),
            ("iteration".to_owned(), TestStatus::Passed),
            ("request".to_owned(), TestStatus::Passed),
        ]
    );
    assert_eq!(
        out.ops,
        vec![VarOp::Set { scope: VarScope::Globals, key: "a".into(), value: "1".into(), typed: None }]
    );
}

#[test]
fn console_lines_name_their_script() {
    let out = pre(
        r#"console.log("hi", { a: [1, 2] }, 3); console.warn("careful"); console.error(new Error("bad"));"#,
    );
    let lines: Vec<_> = out.console.iter().map(|l| (l.level.as_str(), l.text.as_str())).collect();
    assert_eq!(lines, [("log", "hi { a: [ 1, 2 ] } 3"), ("warn", "careful"), ("error", "[Error: bad]")]);
    assert_eq!(out.console[0].script.as_deref(), Some("request \"Login\" pre-request script"));
}

#[test]
fn next_request_and_skip_are_reported() {
    assert_eq!(
        pre("postman.setNextRequest('Other');").next_request,
        Some(NextRequest::Named("Other".into()))
    );
    assert_eq!(pre("pm.execution.setNextRequest(null);").next_request, Some(NextRequest::Stop));
    assert_eq!(pre("1;").next_request, None);
    assert!(pre("pm.execution.skipRequest();").skip_request);
}

#[test]
fn syntax_errors_and_exceptions_name_the_script_and_line() {
    let out = pre("var a = 1;\n\nif (a {\n}");
    assert_eq!(out.errors.len(), 1);
    let e = &out.errors[0];
    assert_eq!((e.line, e.event), (Some(3), Event::PreRequest));
    assert!(e.message.starts_with("SyntaxError"), "{}", e.message);
    assert!(e.to_string().starts_with("request \"Login\" pre-request script, line 3:"), "{e}");

    let out = pre("var a = 1;\n  undefinedThing.call();");
    assert_eq!(out.errors[0].message, "ReferenceError: undefinedThing is not defined");
    assert_eq!((out.errors[0].line, out.errors[0].column), (Some(2), Some(3)));

    let out = pre("throw 'plain string';");
    assert_eq!(out.errors[0].message, "Uncaught plain string");
}

#[test]
fn a_script_error_does_not_stop_the_scripts_after_it() {
    let mut sandbox = Sandbox::new(&input(), Limits::default()).expect("sandbox");
    let scripts = vec![
        ScriptSource { owner: "collection \"C\"".into(), code: "boom();".into() },
        ScriptSource { owner: "request \"Login\"".into(), code: "pm.environment.set('after', '1');".into() },
    ];
    let out = sandbox.run(Event::PreRequest, &scripts, None, None, &NoOutbound);
    assert_eq!(out.errors.len(), 1);
    assert_eq!(out.errors[0].owner, "collection \"C\"");
    assert_eq!(out.ops.len(), 1);
    assert_eq!(out.scripts_run, 2);
}

#[test]
fn hostile_scripts_stop_at_their_limits_with_a_clear_error() {
    let limits = Limits { timeout: Duration::from_millis(300), ..Limits::default() };
    let cases = [
        ("while (true) {}", "ran longer than its limit of 300 ms"),
        ("for (;;) { try { while(true){} } catch (e) {} }", "ran longer than its limit of 300 ms"),
        ("/(a+)+b/.test('a'.repeat(40));", "ran longer than its limit of 300 ms"),
        ("var a = []; while (true) a.push(new Array(1000).fill('x'));", "more than its limit of 64 MiB"),
        ("var s = 'x'.repeat(100 * 1024 * 1024);", "more than its limit of 64 MiB"),
        ("function f() { return f() + 1; } f();", "stack"),
        ("require('fs').readFileSync('/etc/passwd')", "Cannot find module 'fs'"),
        ("require('child_process')", "Cannot find module 'child_process'"),
        ("process.exit(1)", "ReferenceError: process is not defined"),
        ("setTimeout(function () { while (true) {} }, 10);", "ran longer than its limit of 300 ms"),
        ("setTimeout(function () {}, 60000);", "ran longer than its limit of 300 ms"),
    ];
    for (code, expected) in cases {
        let mut sandbox = Sandbox::new(&input(), limits).expect("sandbox");
        let started = Instant::now();
        let out = sandbox.run(
            Event::PreRequest,
            &script(&format!("pm.environment.set('before', 1);\n{code}")),
            None,
            None,
            &NoOutbound,
        );
        assert!(started.elapsed() < Duration::from_secs(5), "{code}: took {:?}", started.elapsed());
        assert_eq!(out.errors.len(), 1, "{code}: {:?}", out.errors);
        assert!(out.errors[0].message.contains(expected), "{code}: {}", out.errors[0]);
        assert_eq!(out.ops.len(), 1, "{code}: what ran before the limit is kept");
        // The sandbox still answers after a limit.
        let again = sandbox.run(
            Event::Test,
            &script("pm.test('alive', () => {});"),
            Some(&response(200, "{}")),
            None,
            &NoOutbound,
        );
        assert_eq!(again.tests.len(), 1, "{code}: {:?}", again.errors);
    }
    assert!(Sandbox::new(&input(), limits).is_ok());
}

#[test]
fn nothing_leaks_between_sandboxes() {
    let first = pre("leaked = 42; Object.prototype.polluted = 1; globalThis.pm2 = pm;");
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    let out = pre(
        "pm.test('clean', () => { pm.expect(typeof leaked).to.equal('undefined'); pm.expect({}.polluted).to.be.undefined; });",
    );
    assert_eq!(out.tests[0].status, TestStatus::Passed, "{}", out.tests[0].error);
}

#[test]
fn globals_assigned_in_pre_request_are_seen_by_tests_of_the_same_request() {
    let mut sandbox = Sandbox::new(&input(), Limits::default()).expect("sandbox");
    let out = sandbox.run(
        Event::PreRequest,
        &script("helpers = { twice: function (x) { return 2 * x; } };"),
        None,
        None,
        &NoOutbound,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let out = sandbox.run(
        Event::Test,
        &script("pm.test('helper', () => pm.expect(helpers.twice(2)).to.equal(4));"),
        Some(&response(200, "{}")),
        None,
        &NoOutbound,
    );
    assert_eq!(out.tests[0].status, TestStatus::Passed, "{}", out.tests[0].error);
}

#[test]
fn timers_and_async_tests_complete_before_the_event_ends() {
    let out = pre(r#"
        setTimeout(() => pm.environment.set("later", "yes"), 20);
        pm.test("async done", function (done) { setTimeout(() => { pm.expect(1).to.equal(1); done(); }, 5); });
        pm.test("promise", () => Promise.resolve().then(() => pm.expect(1).to.equal(2)));
        pm.test("never done", function (done) {});
        "#);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.ops.len(), 1);
    let t = outcomes(&out);
    assert_eq!(t[0].1, TestStatus::Passed);
    assert_eq!((t[1].1, t[1].2.as_str()), (TestStatus::Failed, "expected 1 to equal 2"));
    assert_eq!(t[2].1, TestStatus::Failed);
}

#[test]
fn send_request_without_an_engine_reports_the_error_to_the_callback() {
    let out = pre(
        r#"pm.sendRequest("http://127.0.0.1:9/x", function (err, res) { pm.environment.set("err", String(err && err.message)); });"#,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.sent.len(), 1);
    assert!(matches!(&out.ops[0], VarOp::Set { value, .. } if value.contains("not available")));
}

#[test]
fn libraries_are_there_when_a_script_reaches_for_them() {
    let out = test_event(
        r#"
        const check = {
          lodash: () => pm.expect(_.get({ a: [{ b: 2 }] }, 'a[0].b')).to.equal(2),
          lodash_require: () => pm.expect(require('lodash').map([1, 2], (x) => x * 2)).to.eql([2, 4]),
          lodash_chain: () => pm.expect(_.chain([3, 1, 2]).sortBy().map((x) => x + 1).value()).to.eql([2, 3, 4]),
          lodash_misc: () => pm.expect([_.isEmpty({}), _.uniq([1, 1, 2]).length, _.camelCase('foo bar'), _.pick({ a: 1, b: 2 }, 'a')]).to.eql([true, 2, 'fooBar', { a: 1 }]),
          md5: () => pm.expect(CryptoJS.MD5('abc').toString()).to.equal('900150983cd24fb0d6963f7d28e17f72'),
          sha256: () => pm.expect(CryptoJS.SHA256('abc').toString()).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'),
          hmac_b64: () => pm.expect(CryptoJS.HmacSHA256('The quick brown fox jumps over the lazy dog', 'key').toString(CryptoJS.enc.Base64)).to.equal('97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg='),
          base64: () => pm.expect(CryptoJS.enc.Base64.stringify(CryptoJS.enc.Utf8.parse('héllo'))).to.equal('aMOpbGxv'),
          base64_back: () => pm.expect(CryptoJS.enc.Base64.parse('aMOpbGxv').toString(CryptoJS.enc.Utf8)).to.equal('héllo'),
          aes: () => pm.expect(CryptoJS.AES.decrypt(CryptoJS.AES.encrypt('secret message', 'pass').toString(), 'pass').toString(CryptoJS.enc.Utf8)).to.equal('secret message'),
          aes_key: () => {
            const key = CryptoJS.enc.Hex.parse('000102030405060708090a0b0c0d0e0f'), iv = CryptoJS.enc.Hex.parse('0f0e0d0c0b0a09080706050403020100');
            const ct = CryptoJS.AES.encrypt('hi', key, { iv: iv }).ciphertext.toString();
            pm.expect(CryptoJS.AES.decrypt({ ciphertext: CryptoJS.enc.Hex.parse(ct) }, key, { iv: iv }).toString(CryptoJS.enc.Utf8)).to.equal('hi');
          },
          btoa: () => pm.expect(atob(btoa('user:pass'))).to.equal('user:pass'),
          uuid: () => pm.expect(require('uuid').v4()).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4/),
          moment: () => pm.expect(moment.utc('2024-03-05T07:08:09Z').format('YYYY-MM-DD HH:mm:ss ddd Do MMM')).to.equal('2024-03-05 07:08:09 Tue 5th Mar'),
          moment_math: () => pm.expect(moment.utc('2024-01-31').add(1, 'month').format('YYYY-MM-DD')).to.equal('2024-02-29'),
          moment_diff: () => pm.expect(moment.utc('2024-03-05').diff(moment.utc('2024-03-01'), 'days')).to.equal(4),
          moment_iso: () => pm.expect(moment.utc(0).toISOString()).to.equal('1970-01-01T00:00:00.000Z'),
          moment_parse: () => pm.expect(moment.utc('05/03/2024', 'DD/MM/YYYY').format('YYYY-MM-DD')).to.equal('2024-03-05'),
          tv4: () => pm.expect(tv4.validate({ a: 1 }, { type: 'object', properties: { a: { type: 'string' } } })).to.be.false,
          tv4_ok: () => pm.expect(tv4.validate({ a: 'x' }, { type: 'object', properties: { a: { type: 'string' } } })).to.be.true,
          ajv: () => { const Ajv = require('ajv'); const v = new Ajv().compile({ type: 'number' }); pm.expect(v('x')).to.be.false; pm.expect(v.errors.length).to.equal(1); },
          xml: () => pm.expect(xml2Json('<a><b>1</b></a>').a.b).to.equal('1'),
          schema_fails: () => pm.response.to.have.jsonSchema({ type: 'array' }),
        };
        Object.keys(check).forEach((k) => pm.test(k, check[k]));
        "#,
        &response(200, r#"{"args":{"a":"1"}}"#),
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    for t in &out.tests {
        let should_pass = t.name != "schema_fails";
        assert_eq!(t.status == TestStatus::Passed, should_pass, "{}: {}", t.name, t.error);
    }
    let schema =
        out.tests.iter().find(|t| t.name == "schema_fails").map(|t| t.error.clone()).unwrap_or_default();
    assert!(schema.starts_with("expected data to satisfy schema but found following errors"), "{schema}");
}
