//! Scripts in collection runs, against the postman-echo look-alike on 127.0.0.1: chaining a
//! login's token into later requests, the order of collection, folder and request scripts,
//! pre-request changes to the request, `setNextRequest` loops, `skipRequest`, `pm.sendRequest`,
//! hostile scripts in the middle of a run, and a policy that forbids scripts.
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

use std::sync::Arc;
use std::time::Duration;

use localpost::http::Engine;
use localpost::model::*;
use localpost::policy::{EffectivePolicy, SourceInput, SourceKind};
use localpost::runner::{self, RunFinished, RunSpec, ScriptRule};
use localpost::script::{ConsoleLine, Limits};
use support::Server;

struct Ws {
    ws: WorkspaceData,
    collection: CollectionId,
    env: EnvironmentId,
}

fn request(name: &str, method: Method, url: &str, pre: &str, test: &str) -> Request {
    Request::new(name).with_method(method).with_url(url).with_scripts(pre, test)
}

fn workspace(server: &Server, requests: Vec<Request>) -> Ws {
    let mut ws = WorkspaceData::new(Workspace::new("Team"));
    let mut c = Collection::new("Echo");
    for r in requests {
        c.children.push(ItemId::Request(r.id));
        ws.requests.insert(r.id, r);
    }
    let collection = c.id;
    ws.collections.insert(c.id, c);
    let mut env = Environment::new("Dev");
    env.variables = vec![Variable::new("base", server.url(""))];
    let id = env.id;
    ws.environments.insert(env.id, env);
    Ws { ws, collection, env: id }
}

fn run_with(
    w: Ws,
    edit: impl FnOnce(&mut RunSpec),
) -> (Box<RunFinished>, Vec<RequestOutcome>, Vec<ConsoleLine>) {
    let engine = Engine::new(Settings::default()).unwrap();
    let mut spec = RunSpec::for_parent(Arc::new(w.ws), ParentId::Collection(w.collection));
    spec.environment = Some(w.env);
    edit(&mut spec);
    let mut outcomes = Vec::new();
    let mut console = Vec::new();
    let done = runner::start(&engine, spec, None)
        .wait(|_, o, c| {
            outcomes.push(o.clone());
            console.extend_from_slice(c);
        })
        .unwrap();
    (done, outcomes, console)
}

fn run(w: Ws) -> (Box<RunFinished>, Vec<RequestOutcome>, Vec<ConsoleLine>) {
    run_with(w, |_| {})
}

fn tests_of(o: &RequestOutcome) -> Vec<(String, bool)> {
    o.assertions.iter().map(|a| (a.name.clone(), a.passed)).collect()
}

#[test]
fn a_login_token_set_by_a_test_script_is_sent_by_the_next_request() {
    let server = support::echo::start();
    let login = request(
        "Login",
        Method::Post,
        "{{base}}/post",
        "",
        r#"pm.test("logged in", () => pm.response.to.have.status(200));
           pm.environment.set("token", pm.response.json().json.token);"#,
    );
    let mut login = login;
    login.body = Body::json(r#"{"token":"t-123"}"#);
    login.headers = vec![KeyValue::new("Content-Type", "application/json")];
    let mut me = request(
        "Me",
        Method::Get,
        "{{base}}/get",
        "",
        r#"pm.test("token arrived", () => pm.expect(pm.response.json().headers.authorization).to.equal("Bearer t-123"));"#,
    );
    me.headers = vec![KeyValue::new("Authorization", "Bearer {{token}}")];
    let (done, outcomes, _) = run(workspace(&server, vec![login, me]));
    assert_eq!(tests_of(&outcomes[0]), [("logged in".to_owned(), true)]);
    assert_eq!(tests_of(&outcomes[1]), [("token arrived".to_owned(), true)]);
    assert_eq!(server.requests()[1].header("authorization"), Some("Bearer t-123"));
    assert!(done.tally.all_passed());
    assert_eq!((done.tally.test_scripts, done.tally.test_scripts_failed), (2, 0));
}

#[test]
fn scripts_run_collection_then_folders_then_request() {
    let server = support::echo::start();
    let mut w = workspace(&server, Vec::new());
    let r = request(
        "Deep",
        Method::Get,
        "{{base}}/get",
        "console.log('request pre');",
        "console.log('request test');",
    );
    let mut outer = Folder::new("Outer");
    let mut inner = Folder::new("Inner");
    outer.scripts = Scripts {
        pre_request: "console.log('outer pre');".into(),
        test: "console.log('outer test');".into(),
    };
    inner.scripts = Scripts {
        pre_request: "console.log('inner pre');".into(),
        test: "console.log('inner test');".into(),
    };
    inner.children.push(ItemId::Request(r.id));
    outer.children.push(ItemId::Folder(inner.id));
    let c = w.ws.collections.get_mut(&w.collection).unwrap();
    c.scripts = Scripts {
        pre_request: "console.log('collection pre');".into(),
        test: "console.log('collection test');".into(),
    };
    c.children.push(ItemId::Folder(outer.id));
    w.ws.requests.insert(r.id, r);
    w.ws.folders.insert(outer.id, outer);
    w.ws.folders.insert(inner.id, inner);
    let (_, outcomes, console) = run(w);
    let lines: Vec<_> = console.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        lines,
        [
            "collection pre",
            "outer pre",
            "inner pre",
            "request pre",
            "collection test",
            "outer test",
            "inner test",
            "request test"
        ]
    );
    assert_eq!(
        outcomes[0].scripts,
        ScriptCounts { pre_request: 4, pre_request_failed: 0, test: 4, test_failed: 0 }
    );
}

#[test]
fn a_pre_request_script_changes_what_is_sent() {
    let server = support::echo::start();
    let r = request(
        "Changed",
        Method::Get,
        "{{base}}/get?a=1",
        r#"pm.variables.set("stamp", "s-1");
           pm.request.headers.add({ key: "X-Stamp", value: "{{stamp}}" });
           pm.request.url.query.add({ key: "b", value: "2" });
           pm.request.method = "POST";
           pm.request.url = pm.request.url.toString().replace("/get", "/post");
           pm.request.body = { mode: "raw", raw: "hello" };"#,
        r#"pm.test("server saw it", () => { const j = pm.response.json(); pm.expect(j.args).to.eql({ a: "1", b: "2" }); pm.expect(j.data).to.equal("hello"); });"#,
    );
    let (_, outcomes, _) = run(workspace(&server, vec![r]));
    let got = server.last();
    assert_eq!((got.method.as_str(), got.path()), ("POST", "/post"));
    assert_eq!(got.header("x-stamp"), Some("s-1"));
    assert_eq!(tests_of(&outcomes[0]), [("server saw it".to_owned(), true)]);
}

#[test]
fn set_next_request_loops_until_a_condition_then_stops() {
    let server = support::echo::start();
    let poll = request(
        "Poll",
        Method::Get,
        "{{base}}/get?n={{n}}",
        r#"pm.variables.set("n", String(Number(pm.variables.get("n") || 0) + 1));"#,
        r#"if (Number(pm.variables.get("n")) < 3) { postman.setNextRequest("Poll"); } else { pm.execution.setNextRequest("Done"); }"#,
    );
    let skipped = request("Never", Method::Get, "{{base}}/get?never", "", "");
    let done_req = request("Done", Method::Get, "{{base}}/get?done", "", "postman.setNextRequest(null);");
    let after = request("After", Method::Get, "{{base}}/get?after", "", "");
    let (_, outcomes, _) = run(workspace(&server, vec![poll, skipped, done_req, after]));
    let targets: Vec<_> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(targets, ["/get?n=1", "/get?n=2", "/get?n=3", "/get?done"]);
    assert_eq!(outcomes.len(), 4);
}

#[test]
fn skip_request_sends_nothing_and_the_run_goes_on() {
    let server = support::echo::start();
    let skipped = request(
        "Skipped",
        Method::Get,
        "{{base}}/get?skipped",
        "pm.execution.skipRequest();",
        "pm.test('never', () => {});",
    );
    let next = request("Next", Method::Get, "{{base}}/get?next", "", "");
    let (done, outcomes, _) = run(workspace(&server, vec![skipped, next]));
    assert_eq!(server.requests().len(), 1);
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].name, "Next");
    assert!(done.tally.all_passed());
}

#[test]
fn send_request_goes_through_the_engine_and_its_callback_sets_variables() {
    let server = support::echo::start();
    let r = request(
        "Chained",
        Method::Get,
        "{{base}}/get?token={{fetched}}",
        r#"pm.sendRequest({ url: pm.environment.get("base") + "/post", method: "POST", header: { "Content-Type": "application/json" },
                             body: { mode: "raw", raw: JSON.stringify({ t: "from-script" }) } },
             function (err, res) { pm.environment.set("fetched", res.json().json.t); });
           pm.sendRequest(pm.environment.get("base") + "/status/404").then((res) => pm.environment.set("code", String(res.code)));"#,
        r#"pm.test("both", () => { pm.expect(pm.environment.get("fetched")).to.equal("from-script"); pm.expect(pm.environment.get("code")).to.equal("404"); });"#,
    );
    let (_, outcomes, _) = run(workspace(&server, vec![r]));
    let targets: Vec<_> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(targets, ["/post", "/status/404", "/get?token=from-script"]);
    assert_eq!(tests_of(&outcomes[0]), [("both".to_owned(), true)]);
}

#[test]
fn a_hostile_script_fails_its_request_and_the_run_goes_on() {
    let server = support::echo::start();
    let looping = request("Loops", Method::Get, "{{base}}/get?1", "", "while (true) {}");
    let bad = request("Bad", Method::Get, "{{base}}/get?2", "var x = ;", "");
    let fine =
        request("Fine", Method::Get, "{{base}}/get?3", "", "pm.test('fine', () => pm.response.to.be.ok);");
    let (done, outcomes, _) = run_with(workspace(&server, vec![looping, bad, fine]), |spec| {
        spec.scripts = ScriptRule::Run(Limits { timeout: Duration::from_millis(200), ..Limits::default() });
    });
    assert_eq!(outcomes.len(), 3);
    let loops = &outcomes[0].assertions[0];
    assert!(!loops.passed);
    assert_eq!(loops.name, "request \"Loops\" test script");
    assert!(loops.message.contains("longer than its limit of 200 ms"), "{}", loops.message);
    let bad = &outcomes[1].assertions[0];
    assert_eq!(bad.name, "request \"Bad\" pre-request script");
    assert!(bad.message.starts_with("line 1:"), "{}", bad.message);
    assert!(bad.message.contains("SyntaxError"), "{}", bad.message);
    assert!(outcomes[2].passed());
    assert_eq!(done.tally.failed, 2);
    assert_eq!((done.tally.pre_request_scripts_failed, done.tally.test_scripts_failed), (1, 1));
    assert_eq!(
        server.requests().len(),
        3,
        "a failed pre-request script does not stop its request (as Postman)"
    );
}

#[test]
fn forbidden_scripts_are_reported_as_skipped_and_requests_still_send() {
    let server = support::echo::start();
    let r = request(
        "Guarded",
        Method::Get,
        "{{base}}/get",
        "pm.environment.set('x', 1);",
        "pm.test('t', () => { throw 1; });",
    );
    let (done, outcomes, console) = run_with(workspace(&server, vec![r]), |spec| {
        spec.scripts = ScriptRule::Forbidden("scripts are turned off by the organization's policy".into());
    });
    assert_eq!(server.requests().len(), 1);
    let a = &outcomes[0].assertions;
    let names: Vec<_> = a.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["request \"Guarded\" pre-request script", "request \"Guarded\" test script"]);
    assert!(a.iter().all(|a| a.skipped
        && a.passed
        && a.message == "scripts are turned off by the organization's policy"));
    assert!(console.is_empty());
    assert!(done.tally.all_passed());
    assert_eq!(done.tally.assertions_skipped, 2);
}

fn machine_policy(text: &str) -> EffectivePolicy {
    let source = SourceInput::new("/etc/localpost/policy.ron", SourceKind::Machine, Ok(text.into()));
    let policy = EffectivePolicy::from_inputs(vec![source]);
    assert!(!policy.is_lockdown(), "{}", policy.to_text());
    policy
}

#[test]
fn a_policy_with_allow_scripts_false_skips_every_script_naming_the_file() {
    let server = support::echo::start();
    let r = request(
        "Guarded",
        Method::Get,
        "{{base}}/get",
        "pm.environment.set('x', 1);",
        "pm.test('t', () => {});",
    );
    let policy = machine_policy("(schema_version: 1, allow_scripts: false)");
    let (done, outcomes, _) = run_with(workspace(&server, vec![r]), |spec| {
        spec.scripts = policy.script_permission(&Settings::default()).into();
    });
    assert_eq!(server.requests().len(), 1, "the request is still sent");
    let a = &outcomes[0].assertions;
    assert_eq!(a.len(), 2);
    assert!(a.iter().all(|a| a.skipped
        && a.message
            == "scripts are turned off by the organization's policy \
                (allow_scripts is false in /etc/localpost/policy.ron)"));
    assert_eq!(done.tally.assertions_skipped, 2);
}

#[test]
fn max_script_timeout_ms_stops_a_script_the_user_gave_longer() {
    let server = support::echo::start();
    let looping = request("Loops", Method::Get, "{{base}}/get", "", "while (true) {}");
    let policy = machine_policy("(schema_version: 1, max_script_timeout_ms: 200)");
    let user = Settings { script_timeout_ms: 600_000, ..Settings::default() };
    let rule: ScriptRule = policy.script_permission(&user).into();
    assert_eq!(rule, ScriptRule::Run(Limits { timeout: Duration::from_millis(200), ..Limits::default() }));
    let started = std::time::Instant::now();
    let (_, outcomes, _) = run_with(workspace(&server, vec![looping]), |spec| spec.scripts = rule);
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());
    let loops = &outcomes[0].assertions[0];
    assert!(!loops.passed && loops.message.contains("limit of 200 ms"), "{}", loops.message);
}

#[test]
fn nothing_leaks_from_one_requests_scripts_to_the_next() {
    let server = support::echo::start();
    let first = request("First", Method::Get, "{{base}}/get", "leaked = 1; Array.prototype.evil = 1;", "");
    let second = request(
        "Second",
        Method::Get,
        "{{base}}/get",
        "",
        "pm.test('clean', () => { pm.expect(typeof leaked).to.equal('undefined'); pm.expect([].evil).to.be.undefined; });",
    );
    let (_, outcomes, _) = run(workspace(&server, vec![first, second]));
    assert_eq!(tests_of(&outcomes[1]), [("clean".to_owned(), true)]);
}

#[test]
fn typed_values_keep_their_type_across_requests_and_legacy_setters_store_text_over_a_value() {
    let server = support::echo::start();
    let first = request(
        "First",
        Method::Get,
        "{{base}}/get",
        "pm.environment.set('n', 5); pm.collectionVariables.set('o', { a: [1] }); postman.setEnvironmentVariable('count', 0);",
        "",
    );
    let second = request(
        "Second",
        Method::Get,
        "{{base}}/get",
        "postman.setEnvironmentVariable('count', 1);",
        r#"pm.test('number', () => pm.expect(pm.environment.get('n')).to.equal(5));
           pm.test('object', () => pm.expect(pm.collectionVariables.get('o')).to.eql({ a: [1] }));
           pm.test('legacy over a value is text', () => pm.expect(postman.getEnvironmentVariable('count')).to.equal('1'));"#,
    );
    let (_, outcomes, _) = run(workspace(&server, vec![first, second]));
    let failed: Vec<_> =
        outcomes[1].assertions.iter().filter(|a| !a.passed).map(|a| (&a.name, &a.message)).collect();
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(outcomes[1].assertions.len(), 3);
}

#[test]
fn test_scripts_run_on_a_request_that_got_no_response() {
    let server = support::echo::start();
    let r = request(
        "Refused",
        Method::Get,
        "http://127.0.0.1:9/nothing-listens",
        "",
        "pm.environment.set('ran', 'yes'); pm.test('status', () => pm.response.to.have.status(200));",
    );
    let after = request(
        "After",
        Method::Get,
        "{{base}}/get",
        "",
        "pm.test('saw it', () => pm.expect(pm.environment.get('ran')).to.equal('yes'));",
    );
    let (_, outcomes, _) = run(workspace(&server, vec![r, after]));
    assert!(outcomes[0].error.is_some());
    assert_eq!(tests_of(&outcomes[0]), [("status".to_owned(), false)]);
    assert_eq!(tests_of(&outcomes[1]), [("saw it".to_owned(), true)]);
}

#[test]
fn pm_cookies_are_the_jars_cookies_for_the_url() {
    let server = support::echo::start();
    let set = request("Set", Method::Get, "{{base}}/cookies/set?foo1=bar1", "", "");
    let get = request(
        "Get",
        Method::Get,
        "{{base}}/cookies",
        "",
        "pm.test('jar', () => { pm.expect(pm.cookies.toObject()).to.have.property('foo1', 'bar1'); pm.expect(pm.cookies.get('foo1')).to.equal('bar1'); });",
    );
    let (_, outcomes, _) = run(workspace(&server, vec![set, get]));
    assert_eq!(tests_of(&outcomes[1]), [("jar".to_owned(), true)], "{:?}", outcomes[1].assertions);
}
