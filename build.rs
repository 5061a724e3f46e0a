//! Build facts for `localpost --version`: the git commit the binary was built from and the build
//! date (`SOURCE_DATE_EPOCH` when set, for reproducible packages). Outside a git checkout (a
//! source tarball) the commit is `unknown`.

use std::path::Path;
use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    let secs =
        std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<u64>().ok()).unwrap_or_else(
            || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
        );
    let (y, m, d) = civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0));
    println!("cargo:rustc-env=LOCALPOST_COMMIT={commit}");
    println!("cargo:rustc-env=LOCALPOST_BUILD_DATE={y:04}-{m:02}-{d:02}");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // A new commit (or a branch switched) changes the facts; nothing else does.
    let git = Path::new(".git");
    // Only paths that exist: cargo counts a missing one as changed and would rebuild every time
    // (a clone may have no packed-refs; a branch's ref may live only in packed-refs).
    let watch = |file: &str| {
        let exists = git.join(file).exists();
        if exists {
            println!("cargo:rerun-if-changed=.git/{file}");
        }
        exists
    };
    if git.is_dir() {
        watch("HEAD");
        watch("packed-refs");
        if let Ok(head) = std::fs::read_to_string(git.join("HEAD"))
            && let Some(reference) = head.trim().strip_prefix("ref: ")
        {
            // A ref packed away reappears as a loose file at the next commit: watch its folder.
            if !watch(reference)
                && let Some((folder, _)) = reference.rsplit_once('/')
            {
                watch(folder);
            }
        }
    }
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
