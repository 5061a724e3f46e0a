//! Script benchmark (`cargo bench --bench scripts`): the median cost of one request's scripts,
//! in microseconds, beside its floors in the same run.
//!
//! - floor: a bare QuickJS runtime and context, one trivial evaluation (what any embedding pays);
//! - sandbox: a request's fresh sandbox (runtime, context, the sandbox library from bytecode,
//!   Postman's objects set up);
//! - the 4-test script of `../shared/bench/gen-collection.py SCRIPTS=1` run as a test event on a
//!   postman-echo-like response, in a fresh sandbox each time (what a run pays per request);
//! - the same with a library (`CryptoJS.HmacSHA256`, `_.get`, `moment().format()`).
//!
//! The end-to-end table (`localpost run` beside newman and bru on 1,000 requests with scripts)
//! is `SCRIPTS=1 ../shared/bench/compare-runners.sh` through `benches/runner.sh`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use std::time::{Duration, Instant};

use localpost::script::{
    Event, KeyValue, Limits, NoOutbound, RequestView, ResponseView, Sandbox, SandboxInput, ScriptSource,
};

const RUNS: usize = 2000;

const PM_TEST: &str = r#"pm.test("status is 200", function () { pm.response.to.have.status(200); });
const body = pm.response.json();
pm.test("echoes the index", function () { pm.expect(body.headers["x-idx"]).to.eql(body.path.split("/")[2]); });
pm.test("token sent", function () { pm.expect(body.headers.authorization).to.include(pm.environment.get("token")); });
pm.test("fast enough", function () { pm.expect(pm.response.responseTime).to.be.below(5000); });
pm.environment.set("last", body.path);"#;

const WITH_LIBRARIES: &str = r#"const sig = CryptoJS.HmacSHA256(pm.response.text(), "key").toString(CryptoJS.enc.Base64);
pm.test("lodash", () => pm.expect(_.get(pm.response.json(), "headers.x-idx")).to.equal("7"));
pm.test("moment", () => pm.expect(moment().format("YYYY")).to.have.lengthOf(4));
pm.environment.set("sig", sig);"#;

fn input() -> SandboxInput {
    let mut input = SandboxInput::default();
    input.variables.environment.insert("base".into(), "http://127.0.0.1:18080".into());
    input.variables.environment.insert("token".into(), "abc123".into());
    input.request = RequestView {
        id: "r".into(),
        name: "req 7".into(),
        method: "GET".into(),
        url: "{{base}}/r/7?q={{q}}".into(),
        headers: vec![KeyValue {
            key: "Authorization".into(),
            value: "Bearer {{token}}".into(),
            disabled: false,
        }],
        body: None,
    };
    input
}

fn response() -> ResponseView {
    let body = r#"{"method":"GET","path":"/r/7","query":"q=x%20y","headers":{"host":"127.0.0.1:18080","authorization":"Bearer abc123","x-idx":"7","accept":"*/*"},"body":""}"#;
    ResponseView {
        code: 200,
        status: "OK".into(),
        headers: vec![KeyValue {
            key: "content-type".into(),
            value: "application/json".into(),
            disabled: false,
        }],
        response_time_ms: 1,
        response_size_bytes: body.len() as u64,
        cookies: Vec::new(),
        body: body.into(),
    }
}

fn median_us(mut f: impl FnMut()) -> f64 {
    for _ in 0..50 {
        f();
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1e6
}

fn main() {
    let input = input();
    let response = response();
    let script = |code: &str| vec![ScriptSource { owner: "request \"req 7\"".into(), code: code.into() }];
    let tests = script(PM_TEST);
    let libs = script(WITH_LIBRARIES);
    // Check what is measured does what it should.
    let mut s = Sandbox::new(&input, Limits::default()).unwrap();
    let out = s.run(Event::Test, &tests, Some(&response), None, &NoOutbound);
    assert!(out.errors.is_empty() && out.tests.len() == 4, "{:?} {:?}", out.errors, out.tests);
    assert!(out.tests.iter().all(|t| t.error.is_empty()), "{:?}", out.tests);
    let mut s = Sandbox::new(&input, Limits::default()).unwrap();
    let out = s.run(Event::Test, &libs, Some(&response), None, &NoOutbound);
    assert!(
        out.errors.is_empty() && out.tests.iter().all(|t| t.error.is_empty()),
        "{:?} {:?}",
        out.errors,
        out.tests
    );

    let floor = median_us(|| {
        let rt = rquickjs::Runtime::new().unwrap();
        let ctx = rquickjs::Context::full(&rt).unwrap();
        ctx.with(|ctx| {
            let _: i32 = ctx.eval("1 + 1").unwrap();
        });
    });
    let sandbox = median_us(|| {
        Sandbox::new(&input, Limits::default()).unwrap();
    });
    let four_tests = median_us(|| {
        let mut s = Sandbox::new(&input, Limits::default()).unwrap();
        s.run(Event::Test, &tests, Some(&response), None, &NoOutbound);
    });
    let with_libraries = median_us(|| {
        let mut s = Sandbox::new(&input, Limits::default()).unwrap();
        s.run(Event::Test, &libs, Some(&response), None, &NoOutbound);
    });
    println!("script cost per request, median of {RUNS} (microseconds)");
    println!("  {:<52} {:>9.1} us", "floor: bare QuickJS runtime + context + eval", floor);
    println!(
        "  {:<52} {:>9.1} us  x{:.1}",
        "fresh sandbox (library from bytecode, pm set up)",
        sandbox,
        sandbox / floor
    );
    println!(
        "  {:<52} {:>9.1} us  x{:.1}",
        "fresh sandbox + the 4-test script",
        four_tests,
        four_tests / floor
    );
    println!(
        "  {:<52} {:>9.1} us  x{:.1}",
        "fresh sandbox + CryptoJS, lodash, moment",
        with_libraries,
        with_libraries / floor
    );
}
