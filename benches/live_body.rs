//! A 200 MB JSON body shown while it arrives (`cargo bench --bench live_body`), from a loopback
//! server that writes it in 64 KiB pieces:
//!
//! 1. first byte → first lines: from the engine's first chunk to the live window the response
//!    panel draws (its first rows decoded and indexed);
//! 2. last byte → formatted view shown: from the engine's last chunk to the finished response
//!    view able to show Pretty text, the way the app's send thread builds it (`view_of`, then the
//!    text prepared during the download installed). When the download outran the formatting,
//!    that is the formatted start (`BodyView::live_preview`), else the whole text;
//! 3. last byte → whole body formatted: every row there (search and End work);
//! 4. 3 without the live preparation (the path before issue 18): the whole text prepared
//!    after the end;
//! 5. floors in the same run: a plain reqwest loop reading the body off the socket (first byte
//!    → last byte), and `serde_json` parsing the 200 MB into a `Value`.
//!
//! Medians of the runs are printed, with ratios.
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is a failed run

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use localpost::app::live_body::LiveBody;
use localpost::app::send::view_of;
use localpost::http::{BodyListener, Engine, LiveEvent, SendOptions, prepare};
use localpost::model::{ProxySetting, Request, Settings};
use localpost::vars::Scopes;

const SIZE: usize = 200 * 1024 * 1024;
const RUNS: usize = 5;
const PIECE: usize = 64 * 1024;
/// The pace of the paced runs: 100 MB/s, a fast local network.
const PACED_RATE: f64 = 100e6;
const PACED_RUNS: usize = 3;

/// `{"items":[{"id":0,"name":"item 0","tags":["a","b"],"ok":true,"score":0.5},...]}`, minified.
fn big_json(target: usize) -> Arc<Vec<u8>> {
    let mut s = String::with_capacity(target + 200);
    s.push_str("{\"items\":[");
    let mut i = 0u64;
    while s.len() < target {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!(
            "{{\"id\":{i},\"name\":\"item {i}\",\"tags\":[\"a\",\"b\"],\"ok\":true,\"score\":{}.5}}",
            i % 100
        ));
        i += 1;
    }
    s.push_str("]}");
    Arc::new(s.into_bytes())
}

/// Serves `body` to every request, in pieces, as fast as the socket takes them.
fn serve(body: Arc<Vec<u8>>) -> String {
    serve_at(body, None)
}

/// Serves `body` in pieces, at most `rate` bytes a second when given (a network's pace rather
/// than loopback's).
fn serve_at(body: Arc<Vec<u8>>, rate: Option<f64>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let body = body.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let start = Instant::now();
                let mut sent = 0usize;
                for piece in body.chunks(PIECE) {
                    if stream.write_all(piece).is_err() {
                        return;
                    }
                    sent += piece.len();
                    if let Some(rate) = rate {
                        let due = Duration::from_secs_f64(sent as f64 / rate);
                        if let Some(wait) = due.checked_sub(start.elapsed()) {
                            std::thread::sleep(wait);
                        }
                    }
                }
                let _ = stream.flush();
            });
        }
    });
    format!("http://{addr}/big.json")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[derive(Default)]
struct Marks {
    first: Option<Instant>,
    last: Option<Instant>,
}

/// What one send measured, in milliseconds.
struct Run {
    /// First byte → the first lines in the live window.
    first_lines: f64,
    /// Last byte → the Pretty view showing formatted text (its start, or all of it).
    formatted_shown: f64,
    /// Last byte → the whole body formatted (every row there, search and End work).
    formatted_whole: f64,
    /// First byte → last byte.
    download: f64,
}

/// One send through the engine with the live body.
fn live_run(engine: &Engine, url: &str, ctx: &egui::Context, prepared_live: bool) -> Run {
    let (live, feed) = LiveBody::start(ctx);
    let marks = Arc::new(Mutex::new(Marks::default()));
    let m = marks.clone();
    let mut feed = feed;
    let listener: BodyListener = Box::new(move |event: LiveEvent<'_>| {
        let now = Instant::now();
        match &event {
            LiveEvent::Chunk(_) => {
                let mut m = m.lock().unwrap();
                m.first.get_or_insert(now);
                m.last = Some(now);
            }
            LiveEvent::Head(_) | LiveEvent::End => {}
        }
        if prepared_live || !matches!(event, LiveEvent::Chunk(_)) {
            feed(event);
        }
    });
    let prepared = prepare(&Request::new("big").with_url(url), None, &Scopes::new()).unwrap();
    let handle = engine.send(prepared, SendOptions { on_body: Some(listener), ..SendOptions::default() });
    // 1. the first lines in the window, polled as a frame would.
    let mut first_lines = None;
    while first_lines.is_none() && handle.promise.ready().is_none() {
        if let Some(w) = live.window()
            && w.rows() > 0
            && !w.text.is_empty()
        {
            first_lines = Some(Instant::now());
        } else {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    let exchange = handle.promise.block_and_take().unwrap();
    let resolved = Instant::now();
    // 2. the send thread's work: the view, then the prepared text installed.
    let mut view = view_of(&exchange).unwrap();
    let viewed = Instant::now();
    live.complete(Some(&mut view));
    let completed = Instant::now();
    // The Pretty text, as the panel asks for it each frame until it is there: first the
    // formatted start (when the formatting is behind), then the whole.
    let mut shown = None;
    while view.body_view.doc(ctx).is_none() {
        if shown.is_none() && view.body_view.live_preview().is_some() {
            shown = Some(Instant::now());
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    let ready = Instant::now();
    let shown = shown.unwrap_or(ready);
    let m = marks.lock().unwrap();
    let (first, last) = (m.first.unwrap(), m.last.unwrap());
    let first_lines = first_lines.map_or(f64::NAN, |t| ms(t.duration_since(first)));
    println!(
        "    {}: last byte → exchange {:.0} ms, → view_of {:.0} ms, → prepared text {:.0} ms, → Pretty shown \
         {:.0} ms, → whole Pretty ready {:.0} ms",
        if prepared_live { "live" } else { "before" },
        ms(resolved.duration_since(last)),
        ms(viewed.duration_since(last)),
        ms(completed.duration_since(last)),
        ms(shown.duration_since(last)),
        ms(ready.duration_since(last)),
    );
    Run {
        first_lines,
        formatted_shown: ms(shown.duration_since(last)),
        formatted_whole: ms(ready.duration_since(last)),
        download: ms(last.duration_since(first)),
    }
}

/// The floor: reqwest reading the body off the socket, first byte → last byte.
fn plain_run(rt: &tokio::runtime::Runtime, url: &str) -> f64 {
    rt.block_on(async {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let mut resp = client.get(url).send().await.unwrap();
        let mut first = None;
        let mut total = 0usize;
        while let Some(chunk) = resp.chunk().await.unwrap() {
            first.get_or_insert_with(Instant::now);
            total += chunk.len();
        }
        assert!(total >= SIZE);
        ms(first.unwrap().elapsed())
    })
}

fn main() {
    let body = big_json(SIZE);
    let url = serve(body.clone());
    let engine = Engine::new(Settings { proxy: ProxySetting::None, ..Settings::default() }).unwrap();
    let ctx = egui::Context::default();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let (mut first_lines, mut shown, mut whole, mut download) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut before, mut plain, mut parse) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        let live = live_run(&engine, &url, &ctx, true);
        let old = live_run(&engine, &url, &ctx, false).formatted_whole;
        let p = plain_run(&rt, &url);
        let t = Instant::now();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let s = ms(t.elapsed());
        drop(value);
        println!(
            "run {run}: first lines {:.1} ms · formatted view shown {:.1} ms and whole {:.1} ms after the last \
             byte (without the live preparation {old:.1} ms) · download {:.0} ms (plain reqwest {p:.0} ms) · \
             serde_json parse {s:.0} ms",
            live.first_lines, live.formatted_shown, live.formatted_whole, live.download
        );
        first_lines.push(live.first_lines);
        shown.push(live.formatted_shown);
        whole.push(live.formatted_whole);
        download.push(live.download);
        before.push(old);
        plain.push(p);
        parse.push(s);
    }
    // At a network's pace (1 Gbit/s is 125 MB/s), the formatting keeps up with the download.
    let paced_url = serve_at(body.clone(), Some(PACED_RATE));
    let (mut paced_shown, mut paced_whole) = (Vec::new(), Vec::new());
    for run in 0..PACED_RUNS {
        let live = live_run(&engine, &paced_url, &ctx, true);
        println!(
            "paced run {run}: formatted view shown {:.1} ms and whole {:.1} ms after the last byte · download {:.0} ms",
            live.formatted_shown, live.formatted_whole, live.download
        );
        paced_shown.push(live.formatted_shown);
        paced_whole.push(live.formatted_whole);
    }
    let (a, b, w, old) = (median(first_lines), median(shown), median(whole), median(before));
    let (d, p, s) = (median(download), median(plain), median(parse));
    println!("\nmedians of {RUNS} runs, {} MB of JSON:", SIZE / 1024 / 1024);
    println!("  first byte → first lines:            {a:.1} ms (target 100 ms)");
    println!("  last byte → formatted view shown:    {b:.1} ms (target 300 ms)");
    println!(
        "  last byte → whole body formatted:    {w:.1} ms; without the live preparation {old:.1} ms ({:.2}x)",
        old / w
    );
    println!(
        "  at {:.0} MB/s (a fast network): last byte → formatted view shown {:.1} ms, whole {:.1} ms (medians of \
         {PACED_RUNS})",
        PACED_RATE / 1e6,
        median(paced_shown),
        median(paced_whole)
    );
    println!(
        "  download through Localpost:          {d:.0} ms; plain reqwest loop {p:.0} ms ({:.2}x)",
        d / p
    );
    println!(
        "  serde_json parse (floor):            {s:.0} ms; whole body formatted after the last byte / parse = {:.2}",
        w / s
    );
}
