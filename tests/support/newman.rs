//! newman, Postman's runner, as the reference for what a Postman collection means: taken from
//! `$NEWMAN`, the PATH, the benchmarks' peers, or installed once with npm into
//! `~/.cache/localpost-tests`. Tests that need it skip, saying why, where node is absent.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The newman command, or why there is none.
pub fn find() -> Result<PathBuf, String> {
    if let Ok(path) = std::env::var("NEWMAN") {
        return Ok(PathBuf::from(path));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("node is not installed".into());
    }
    if Command::new("newman").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return Ok(PathBuf::from("newman"));
    }
    let home = std::env::var("HOME").map_err(|_| "HOME is not set")?;
    for dir in [".cache/lp-bench-peers", ".cache/localpost-tests"] {
        let bin = Path::new(&home).join(dir).join("node_modules/.bin/newman");
        if bin.exists() {
            return Ok(bin);
        }
    }
    let cache = Path::new(&home).join(".cache/localpost-tests");
    std::fs::create_dir_all(&cache).map_err(|e| e.to_string())?;
    let out = Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
        .arg(&cache)
        .arg("newman@6")
        .output()
        .map_err(|e| format!("npm is not available: {e}"))?;
    let bin = cache.join("node_modules/.bin/newman");
    if out.status.success() && bin.exists() {
        Ok(bin)
    } else {
        Err(format!("npm could not install newman: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

/// What a newman run printed, and how it ended.
pub struct Ran {
    pub stdout: String,
    pub stderr: String,
    /// The exit code; `None` when newman had to be stopped (see [`run`]).
    pub code: Option<i32>,
}

/// Runs newman (with the cli reporter) and waits for it. newman 6 sometimes never exits after a
/// run with a file upload (a stream left open); once its summary is printed, it is given a few
/// seconds, then stopped, and the run counts as ended.
pub fn run(command: &mut Command) -> Ran {
    use std::io::Read;
    use std::process::Stdio;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    let mut child =
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let collect = |mut pipe: Box<dyn Read + Send>| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let b = buf.clone();
        let thread = std::thread::spawn(move || {
            let mut chunk = [0u8; 8192];
            while let Ok(n) = pipe.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                b.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        (buf, thread)
    };
    let (out, out_thread) = collect(Box::new(child.stdout.take().unwrap()));
    let (err, err_thread) = collect(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let mut summary_at = None;
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        let printed = String::from_utf8_lossy(&out.lock().unwrap()).contains("total run duration");
        let at = *summary_at.get_or_insert_with(|| printed.then(Instant::now)).get_or_insert(started);
        if (printed && at.elapsed() > Duration::from_secs(3)) || started.elapsed() > Duration::from_secs(300)
        {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = (out_thread.join(), err_thread.join());
    let text = |b: &Arc<Mutex<Vec<u8>>>| String::from_utf8_lossy(&b.lock().unwrap()).into_owned();
    Ran { stdout: text(&out), stderr: text(&err), code }
}
