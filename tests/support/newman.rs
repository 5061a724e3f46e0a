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
