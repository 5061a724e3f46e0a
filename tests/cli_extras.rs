//! The command line's extras for packages: `--version` with its build facts, shell
//! completions and the manual page, all from the same clap definitions.
#![allow(clippy::unwrap_used)] // tests: a failed setup step should fail loudly

mod support;

fn output(args: &[&str]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = support::localpost(dir.path()).args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn version_names_the_commit_and_the_build_date() {
    let (ok, text) = output(&["--version"]);
    assert!(ok, "{text}");
    let text = text.trim();
    let rest = text
        .strip_prefix(concat!("localpost ", env!("CARGO_PKG_VERSION"), " (commit "))
        .unwrap_or_else(|| panic!("{text}"));
    let (commit, date) = rest.trim_end_matches(')').split_once(", built ").unwrap();
    assert!(
        commit == "unknown" || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{commit}"
    );
    let parts: Vec<&str> = date.split('-').collect();
    assert!(
        parts.len() == 3 && parts[0].len() == 4 && parts.iter().all(|p| p.parse::<u32>().is_ok()),
        "{date}"
    );
}

#[test]
fn completions_and_the_manual_cover_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let (ok, script) = output(&["completions", shell]);
        assert!(ok && script.contains("localpost"), "{shell}");
        for sub in ["run", "import", "export", "policy"] {
            assert!(script.contains(sub), "{shell} completes {sub}");
        }
    }
    let (ok, bash) = output(&["completions", "bash"]);
    assert!(ok && bash.contains("_localpost()"), "{bash}");
    let (ok, man) = output(&["man"]);
    assert!(ok && man.contains(".TH localpost"), "{man}");
    assert!(man.contains("completions") && man.contains("import"), "the page lists the subcommands");
    // An unknown shell is refused with the list of those there are.
    let dir = tempfile::tempdir().unwrap();
    let out = support::localpost(dir.path()).args(["completions", "tcsh"]).output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bash"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// What packages install besides the binary: the icon in every size a desktop asks for (each
// PNG's own width and height), the desktop entry and the AppStream metainfo.
#[test]
fn the_icon_desktop_entry_and_metainfo_are_complete() {
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    for size in [16u32, 24, 32, 48, 64, 128, 256, 512] {
        let png =
            std::fs::read(assets.join(format!("icons/hicolor/{size}x{size}/apps/localpost.png"))).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let dim = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
        assert_eq!((dim(16), dim(20)), (size, size), "{size}");
    }
    assert!(std::fs::read(assets.join("icons/localpost.ico")).unwrap().starts_with(&[0, 0, 1, 0]));
    let desktop = std::fs::read_to_string(assets.join("localpost.desktop")).unwrap();
    for line in [
        "Exec=localpost %F",
        "Icon=localpost",
        "Categories=Development;Network;",
        "MimeType=application/json;",
    ] {
        assert!(desktop.lines().any(|l| l.starts_with(line)), "{line}");
    }
    let metainfo = std::fs::read_to_string(assets.join("dev.localpost.Localpost.metainfo.xml")).unwrap();
    for part in ["<launchable type=\"desktop-id\">localpost.desktop</launchable>", "<releases>", "<summary>"]
    {
        assert!(metainfo.contains(part), "{part}");
    }
}

// The administrator's guide's policy example is one `localpost policy check` accepts.
#[test]
fn the_deployment_guides_policy_example_checks() {
    let guide =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploying.md"))
            .unwrap();
    let start = guide.find("```ron\n").unwrap() + "```ron\n".len();
    let example = &guide[start..start + guide[start..].find("```").unwrap()];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("10-acme.ron");
    std::fs::write(&file, example).unwrap();
    let out = support::localpost(dir.path()).args(["policy", "check"]).arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
