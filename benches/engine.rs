//! Engine benchmark, side by side with the floor in the same run (`cargo bench --bench engine`).
//!
//! 1. Throughput: 1,000 sequential requests through the engine (variables resolved, the
//!    request-as-sent built, history recorded) against a loopback server, and a plain reqwest
//!    keep-alive loop sending the same requests. Prints per-request medians and the ratio
//!    (target: engine / plain <= 1.2).
//! 2. Memory: a child process downloads a 500 MiB body through the engine and reports its peak
//!    RSS above idle (target: <= 64 MiB).
//!
//! For profiling, `--engine-only [--exec-only]`, `--plain-only` and `--prepare-only` run one path
//! alone (e.g. under `perf record`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark that cannot set up should stop loudly

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::Command;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
use hyper_util::rt::{TokioExecutor, TokioIo};
use localpost::http::{Engine, EngineOptions, prepare};
use localpost::model::*;
use localpost::vars::Scopes;

const REQUESTS: usize = 1000;
const ROUNDS: usize = 3;
const DOWNLOAD_BYTES: u64 = 500 * 1024 * 1024;

/// A loopback server: `/download` streams `DOWNLOAD_BYTES` zeros, anything else echoes a small
/// JSON document.
fn start_server() -> (SocketAddr, tokio::runtime::Runtime) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(|req: hyper::Request<hyper::body::Incoming>| async move {
                        let download = req.uri().path() == "/download";
                        let _ = req.into_body().collect().await;
                        let body = if download {
                            let chunk = Bytes::from(vec![0u8; 256 * 1024]);
                            let n = DOWNLOAD_BYTES / chunk.len() as u64;
                            let stream = futures_util::stream::iter(
                                (0..n).map(move |_| Ok::<_, Infallible>(Frame::data(chunk.clone()))),
                            );
                            BodyExt::boxed(StreamBody::new(stream))
                        } else {
                            Full::new(Bytes::from_static(
                                br#"{"ok":true,"items":[1,2,3],"message":"hello from the loopback server"}"#,
                            ))
                            .map_err(|never| match never {})
                            .boxed()
                        };
                        Ok::<_, Infallible>(
                            hyper::Response::builder()
                                .header("content-type", "application/json")
                                .body(body)
                                .unwrap(),
                        )
                    });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (addr, rt)
}

/// The workspace of the benchmark: one collection with variables, one request using them.
fn workspace(addr: SocketAddr) -> (WorkspaceData, RequestId, EnvironmentId) {
    let mut ws = WorkspaceData::new(Workspace::new("Bench"));
    let mut c = Collection::new("API");
    c.variables = vec![Variable::new("base", format!("http://127.0.0.1:{}", addr.port()))];
    c.auth = Auth::Bearer { token: "{{token}}".into() };
    let mut req = Request::new("create item").with_method(Method::Post).with_url("{{base}}/items/:id");
    req.path_variables = vec![KeyValue::new("id", "{{id}}")];
    req.params = vec![KeyValue::new("trace", "{{trace}}")];
    req.headers =
        vec![KeyValue::new("X-Request", "{{id}}"), KeyValue::new("Content-Type", "application/json")];
    req.body = Body::json(r#"{"id": {{id}}, "name": "item {{id}}", "owner": "{{owner}}"}"#);
    c.children.push(ItemId::Request(req.id));
    let mut env = Environment::new("Bench");
    env.variables = vec![
        Variable::new("token", "bench-token").secret(),
        Variable::new("owner", "ann"),
        Variable::new("trace", "on"),
    ];
    let (rid, eid) = (req.id, env.id);
    ws.requests.insert(req.id, req);
    ws.collections.insert(c.id, c);
    ws.environments.insert(env.id, env);
    (ws, rid, eid)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn url_of(addr: SocketAddr, i: usize) -> String {
    format!("http://127.0.0.1:{}/items/{i}?trace=on", addr.port())
}

fn body_of(i: usize) -> String {
    format!(r#"{{"id": {i}, "name": "item {i}", "owner": "ann"}}"#)
}

fn sum(v: &[Duration]) -> Duration {
    v.iter().sum()
}

/// History written as the app writes it: entries made beside the send, stored in order by a
/// writer thread (as the app's writer thread does, with the same `Keeper`).
fn history_writer(
    dir: std::path::PathBuf,
    settings: std::sync::Arc<Settings>,
) -> (std::sync::mpsc::Sender<HistoryEntry>, std::thread::JoinHandle<()>) {
    let (to_writer, entries) = std::sync::mpsc::channel::<HistoryEntry>();
    let writer = std::thread::spawn(move || {
        let mut keeper = localpost::storage::history::Keeper::default();
        for entry in entries {
            keeper.record(&dir, &entry, &settings).unwrap();
        }
    });
    (to_writer, writer)
}

/// The medians of the three ways, per request and per round, and their ratios to the floor.
fn print_ways(samples: &[Vec<Duration>; 3], round_sums: &[Vec<Duration>; 3]) {
    let p = median(samples[0].clone());
    let pr = median(round_sums[0].clone());
    println!("throughput: {REQUESTS} sequential POSTs per round and way, {ROUNDS} rounds, loopback, medians");
    println!("  {:<44} {:>8} {:>10} {:>8} {:>8}", "", "µs/req", "ms/round", "ratio", "(round)");
    println!(
        "  {:<44} {:>8.1} {:>10.1} {:>8.2} {:>8.2}",
        "plain reqwest keep-alive loop (floor)",
        micros(p),
        er_ms(pr),
        1.0,
        1.0
    );
    for (way, name) in
        [(1, "engine: vars + request-as-sent"), (2, "engine: vars + request-as-sent + history")]
    {
        let e = median(samples[way].clone());
        let r = median(round_sums[way].clone());
        println!(
            "  {:<44} {:>8.1} {:>10.1} {:>8.2} {:>8.2}",
            name,
            micros(e),
            er_ms(r),
            micros(e) / micros(p),
            r.as_secs_f64() / pr.as_secs_f64()
        );
    }
}

fn throughput() {
    let (addr, _server) = start_server();
    let (ws, rid, eid) = workspace(addr);
    let history = tempfile::tempdir().unwrap();
    let settings = Settings { proxy: ProxySetting::None, ..Settings::default() };
    let engine = Engine::new(settings).unwrap();
    let request = ws.requests[&rid].clone();
    let base_scopes = Scopes::for_request(&ws, rid, Some(eid));
    let plain = reqwest::Client::builder().no_proxy().build().unwrap();

    // The three ways take turns request by request (in a rotating order), so the noise of a
    // shared machine falls on all of them alike. Round 0 warms up and is not counted.
    let mut samples: [Vec<Duration>; 3] = Default::default();
    let mut round_sums: [Vec<Duration>; 3] = Default::default();
    let ws = std::sync::Arc::new(ws);
    let (to_writer, writer) = history_writer(history.path().to_owned(), engine.settings());
    for round in 0..=ROUNDS {
        // The loop runs as a task on the engine's runtime, as the collection runner does.
        let (engine2, plain, ws, request, base_scopes, to_writer) = (
            engine.clone(),
            plain.clone(),
            ws.clone(),
            request.clone(),
            base_scopes.clone(),
            to_writer.clone(),
        );
        let task = engine.runtime().spawn(async move {
            let engine = engine2;
            let mut this_round: [Vec<Duration>; 3] = Default::default();
            for i in 0..REQUESTS {
                for k in 0..3 {
                    let way = (i + k) % 3;
                    let t = Instant::now();
                    if way == 0 {
                        // The floor: a plain keep-alive reqwest loop sending the same requests
                        // (the same headers on the wire, the engine's defaults included).
                        let resp = plain
                            .post(url_of(addr, i))
                            .header("X-Request", i.to_string())
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer bench-token")
                            .header("User-Agent", localpost::http::USER_AGENT)
                            .header("Accept-Encoding", localpost::http::ACCEPT_ENCODING)
                            .body(body_of(i))
                            .send()
                            .await
                            .unwrap();
                        assert_eq!(resp.status().as_u16(), 200);
                        let _ = resp.bytes().await.unwrap();
                    } else {
                        let mut scopes = base_scopes.clone();
                        scopes.set_runtime("id", i.to_string());
                        let prepared = prepare(&request, Some(&ws), &scopes).unwrap();
                        let at = time::OffsetDateTime::now_utc();
                        let result = engine.execute(&prepared).await;
                        assert_eq!(result.as_ref().unwrap().response.status, 200);
                        if way == 2
                            && let Some(entry) = engine.history_entry(&prepared, &result, at)
                        {
                            to_writer.send(entry).unwrap();
                        }
                    }
                    this_round[way].push(t.elapsed());
                }
            }
            this_round
        });
        let mut this_round = engine.runtime().block_on(task).unwrap();
        if round > 0 {
            for way in 0..3 {
                round_sums[way].push(sum(&this_round[way]));
                samples[way].append(&mut this_round[way]);
            }
        }
    }
    let drain_started = Instant::now();
    drop(to_writer);
    writer.join().unwrap();
    let drain = drain_started.elapsed();

    print_ways(&samples, &round_sums);
    // Preparing alone (no network): what the engine adds before sending.
    let t = Instant::now();
    for i in 0..REQUESTS {
        let mut scopes = base_scopes.clone();
        scopes.set_runtime("id", i.to_string());
        std::hint::black_box(prepare(&request, Some(&ws), &scopes).unwrap());
    }
    println!(
        "  {:<44} {:>8.1}",
        "prepare only (scopes clone + resolve + build)",
        micros(t.elapsed()) / REQUESTS as f64
    );
    println!(
        "  history: {} entries queued; the writer finished {:.0} ms after the last send ({} files kept, cap {})",
        ROUNDS * REQUESTS + REQUESTS,
        er_ms(drain),
        localpost::storage::history::files(history.path()).len(),
        Settings::default().history_max_entries
    );
}

fn er_ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Resident set size and its peak, in KiB, from /proc (Linux).
fn rss_kib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Child process: idle RSS, download, peak RSS.
fn memory_child(url: &str) {
    let spill = tempfile::tempdir().unwrap();
    let options = EngineOptions { spill_dir: Some(spill.path().to_owned()), ..EngineOptions::default() };
    let engine =
        Engine::with_options(Settings { proxy: ProxySetting::None, ..Settings::default() }, options).unwrap();
    let warm =
        prepare(&Request::new("warm").with_url(url.replace("/download", "/warm")), None, &Scopes::new())
            .unwrap();
    engine.send_blocking(&warm).unwrap();
    let (idle, _) = rss_kib().unwrap();
    let prepared = prepare(&Request::new("download").with_url(url), None, &Scopes::new()).unwrap();
    let started = Instant::now();
    let ex = engine.send_blocking(&prepared).unwrap();
    let elapsed = started.elapsed();
    let (_, peak) = rss_kib().unwrap();
    assert_eq!(ex.response.body.len_bytes(), DOWNLOAD_BYTES);
    println!("{idle} {peak} {} {}", elapsed.as_millis(), ex.response.body.is_spilled());
}

fn memory() {
    let (addr, _server) = start_server();
    let url = format!("http://127.0.0.1:{}/download", addr.port());
    let out = Command::new(std::env::current_exe().unwrap()).args(["--memory-child", &url]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let fields: Vec<&str> = text.split_whitespace().collect();
    if !out.status.success() || fields.len() < 4 {
        println!("memory: the child failed: {}", String::from_utf8_lossy(&out.stderr));
        return;
    }
    let (idle, peak, ms): (f64, f64, f64) =
        (fields[0].parse().unwrap(), fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let above = (peak - idle) / 1024.0;
    println!("memory: 500 MiB download through the engine in a separate process");
    println!(
        "  idle {:.1} MiB, peak {:.1} MiB, peak above idle {above:.1} MiB (target <= 64), {:.0} MB/s, spilled to disk: {}",
        idle / 1024.0,
        peak / 1024.0,
        DOWNLOAD_BYTES as f64 / 1e6 / (ms / 1e3),
        fields[3]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--memory-child") {
        memory_child(&args[pos + 1]);
        return;
    }
    if args.iter().any(|a| a == "--engine-only") {
        // For profiling: the engine path alone, many times.
        let (addr, _server) = start_server();
        let (ws, rid, eid) = workspace(addr);
        let engine = Engine::new(Settings { proxy: ProxySetting::None, ..Settings::default() }).unwrap();
        let request = ws.requests[&rid].clone();
        let base = Scopes::for_request(&ws, rid, Some(eid));
        let exec_only = args.iter().any(|a| a == "--exec-only");
        let mut once = base.clone();
        once.set_runtime("id", "1");
        let fixed = prepare(&request, Some(&ws), &once).unwrap();
        engine.runtime().block_on(async {
            for i in 0..20_000 {
                if exec_only {
                    engine.execute(&fixed).await.unwrap();
                    continue;
                }
                let mut scopes = base.clone();
                scopes.set_runtime("id", i.to_string());
                let prepared = prepare(&request, Some(&ws), &scopes).unwrap();
                engine.execute(&prepared).await.unwrap();
            }
        });
        return;
    }
    if args.iter().any(|a| a == "--prepare-only") {
        let (ws, rid, eid) = workspace("127.0.0.1:9".parse().unwrap());
        let request = ws.requests[&rid].clone();
        let base = Scopes::for_request(&ws, rid, Some(eid));
        let t = Instant::now();
        for i in 0..200_000 {
            let mut scopes = base.clone();
            scopes.set_runtime("id", i.to_string());
            std::hint::black_box(prepare(&request, Some(&ws), &scopes).unwrap());
        }
        println!("prepare: {:.2} µs", micros(t.elapsed()) / 200_000.0);
        return;
    }
    if args.iter().any(|a| a == "--plain-only") {
        let (addr, _server) = start_server();
        let plain = reqwest::Client::builder().no_proxy().build().unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(async {
            for i in 0..20_000 {
                let resp = plain
                    .post(format!("http://127.0.0.1:{}/items/{i}?trace=on", addr.port()))
                    .header("X-Request", i.to_string())
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer bench-token")
                    .header("User-Agent", localpost::http::USER_AGENT)
                    .header("Accept-Encoding", localpost::http::ACCEPT_ENCODING)
                    .body(format!(r#"{{"id": {i}, "name": "item {i}", "owner": "ann"}}"#))
                    .send()
                    .await
                    .unwrap();
                let _ = resp.bytes().await.unwrap();
            }
        });
        return;
    }
    throughput();
    memory();
}
