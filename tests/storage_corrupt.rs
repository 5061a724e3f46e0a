//! The corrupted-file suite: each broken file is reported precisely (path, and line and column
//! where there is one), everything else loads, and the broken file is never written over.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::fs;
use std::path::{Path, PathBuf};

use localpost::model::*;
use localpost::storage::{Place, ProblemKind, Severity, Store, StoreError};

/// A small, healthy data folder.
struct Fixture {
    dir: tempfile::TempDir,
    ws: WorkspaceId,
    collection: CollectionId,
    folder: FolderId,
    good: RequestId,
    victim: RequestId,
    env: EnvironmentId,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut opened = Store::open(dir.path()).unwrap();
        let ws_id = *opened.library.workspaces.keys().next().unwrap();
        let mut ws = opened.library.workspaces[&ws_id].workspace.clone();
        let store = &mut opened.store;
        let mut c = Collection::new("Billing");
        store.save_collection(ws_id, &c).unwrap();
        let mut f = Folder::new("Invoices");
        store.save_folder(ParentId::Collection(c.id), &f).unwrap();
        let good = Request::new("List invoices").with_url("{{base}}/invoices");
        let victim = Request::new("Create invoice").with_method(Method::Post).with_url("{{base}}/invoices");
        for r in [&good, &victim] {
            store.save_request(ParentId::Folder(f.id), r).unwrap();
            f.children.push(ItemId::Request(r.id));
        }
        store.save_folder(ParentId::Collection(c.id), &f).unwrap();
        c.children.push(ItemId::Folder(f.id));
        store.save_collection(ws_id, &c).unwrap();
        let mut env = Environment::new("Dev");
        env.variables.push(Variable::new("base", "http://127.0.0.1:1"));
        env.variables.push(Variable::new("token", "t0k3n").secret());
        store.save_environment(ws_id, &env).unwrap();
        let mut preset = HeaderPreset::new("JSON");
        preset.headers.push(KeyValue::new("Accept", "application/json"));
        store.save_preset(ws_id, &preset).unwrap();
        ws.collections.push(c.id);
        ws.environments.push(env.id);
        ws.header_presets.push(preset.id);
        store.save_workspace(&ws).unwrap();
        let mut globals = Globals::default();
        globals.variables.push(Variable::new("region", "eu"));
        store.save_globals(ws_id, &globals).unwrap();
        Fixture {
            dir,
            ws: ws_id,
            collection: c.id,
            folder: f.id,
            good: good.id,
            victim: victim.id,
            env: env.id,
        }
    }

    fn path(&self, place: Place) -> PathBuf {
        Store::open_existing(self.dir.path()).unwrap().store.file_of(place).unwrap()
    }

    fn victim_path(&self) -> PathBuf {
        self.path(Place::Request(self.victim))
    }
}

struct Case {
    name: &'static str,
    /// Breaks something; returns the path that must be reported.
    plant: fn(&Fixture) -> PathBuf,
    expect: fn(&ProblemKind) -> bool,
    /// The line the report must point at, for parse errors.
    line: Option<usize>,
}

impl Case {
    fn new(name: &'static str, plant: fn(&Fixture) -> PathBuf, expect: fn(&ProblemKind) -> bool) -> Case {
        Case { name, plant, expect, line: None }
    }

    /// A file that does not parse.
    fn parse(name: &'static str, plant: fn(&Fixture) -> PathBuf) -> Case {
        Case::new(name, plant, parse_error)
    }

    /// The report must point at `line`.
    fn at_line(self, line: usize) -> Case {
        Case { line: Some(line), ..self }
    }
}

fn parse_error(kind: &ProblemKind) -> bool {
    matches!(kind, ProblemKind::Parse { .. })
}

fn parse_error_naming(kind: &ProblemKind, word: &str) -> bool {
    matches!(kind, ProblemKind::Parse { message, .. } if message.contains(word))
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}:\n{text}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// `path` with its first `from` replaced by `to`.
fn replaced(path: PathBuf, from: &str, to: &str) -> PathBuf {
    replace_in(&path, from, to);
    path
}

/// `path` holding `bytes` instead.
fn written(path: PathBuf, bytes: impl AsRef<[u8]>) -> PathBuf {
    fs::write(&path, bytes).unwrap();
    path
}

/// `path` cut off half-way.
fn cut_in_half(path: PathBuf) -> PathBuf {
    let bytes = fs::read(&path).unwrap();
    written(path, &bytes[..bytes.len() / 2])
}

/// The request file broken in each way a file can be: cut, emptied, not text, of a newer
/// format, missing or mistyped fields, bad syntax, another entity, endless nesting.
fn request_file_cases() -> Vec<Case> {
    vec![
        Case::parse("truncated mid-way", |f| cut_in_half(f.victim_path())),
        Case::new("empty file", |f| written(f.victim_path(), ""), |k| parse_error_naming(k, "empty"))
            .at_line(1),
        Case::new(
            "not UTF-8",
            |f| written(f.victim_path(), [0xff, 0xfe, 0x28, 0x00, 0x66, 0x00]),
            |k| *k == ProblemKind::NotText,
        ),
        Case::new(
            "newer format version",
            |f| replaced(f.victim_path(), "format: 1,", "format: 99,"),
            |k| matches!(k, ProblemKind::NewerFormat { found: 99, supported: 1 }),
        ),
        Case::new(
            "missing format",
            |f| replaced(f.victim_path(), "format: 1,", ""),
            |k| parse_error_naming(k, "format"),
        ),
        Case::new(
            "missing id",
            |f| {
                let text = fs::read_to_string(f.victim_path()).unwrap();
                let kept: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("id:")).collect();
                written(f.victim_path(), kept.join("\n"))
            },
            |k| parse_error_naming(k, "id"),
        ),
        Case::parse("wrong type", |f| replaced(f.victim_path(), "name: \"Create invoice\"", "name: 42"))
            .at_line(5),
        Case::parse("syntax error", |f| {
            replaced(f.victim_path(), "method: \"POST\",", "method: \"POST\" \"again\",")
        })
        .at_line(6),
        Case::parse("trailing garbage", |f| {
            let text = fs::read_to_string(f.victim_path()).unwrap();
            written(f.victim_path(), text + "\n(leftover: true)\n")
        }),
        Case::new(
            "wrong kind of entity in a request file",
            |f| written(f.victim_path(), fs::read(f.path(Place::Folder(f.folder))).unwrap()),
            |k| parse_error_naming(k, "request"),
        ),
        Case::parse("invalid uuid", |f| replaced(f.victim_path(), &f.victim.to_string(), "not-a-uuid"))
            .at_line(4),
        Case::parse("deeply nested garbage", |f| {
            written(f.victim_path(), format!("(format: 1, request: {}", "[".repeat(100_000)))
        }),
    ]
}

/// Every other kind of file broken, a second file with a taken id, and a file and a folder each
/// where the other is expected.
fn other_file_cases() -> Vec<Case> {
    vec![
        Case::parse("unknown enum variant", |f| {
            let mut r = Request::new("Broken auth");
            r.auth = Auth::Bearer { token: "x".into() };
            let text = localpost::storage::document::to_text(&r).unwrap().replace("Bearer(", "Kerberos(");
            written(f.good_path_sibling("broken-auth.request.ron"), text)
        }),
        Case::new(
            "duplicate id",
            |f| {
                written(
                    f.good_path_sibling("zz-copy.request.ron"),
                    fs::read(f.path(Place::Request(f.good))).unwrap(),
                )
            },
            |k| matches!(k, ProblemKind::DuplicateId { .. }),
        ),
        Case::parse("broken folder file", |f| {
            replaced(f.path(Place::Folder(f.folder)), "folder: (", "folder: [")
        })
        .at_line(3),
        Case::new(
            "folder without folder.ron",
            |f| {
                let p = f.path(Place::Folder(f.folder));
                fs::remove_file(&p).unwrap();
                p.parent().unwrap().to_owned()
            },
            |k| *k == ProblemKind::MissingFolderFile { file: "folder.ron" },
        ),
        Case::parse("broken collection file", |f| {
            written(f.path(Place::Collection(f.collection)), "(format: 1, collection: (name: \"no id\"))")
        }),
        Case::parse("broken workspace file", |f| {
            replaced(f.path(Place::Workspace(f.ws)), "workspace: (", "workspace: (\n        id: 7,")
        }),
        Case::parse("broken environment", |f| {
            replaced(f.path(Place::Environment(f.env)), "variables: [", "variables: [[")
        }),
        Case::parse("broken header preset", |f| {
            let dir = f.path(Place::Workspace(f.ws)).parent().unwrap().join("header-presets");
            let p = fs::read_dir(dir).unwrap().next().unwrap().unwrap().path();
            replaced(p, "headers: [", "headers: {")
        }),
        Case::parse("broken globals", |f| {
            replaced(f.path(Place::Globals(f.ws)), "key: \"region\"", "key: region")
        }),
        Case::new(
            "a file where a folder is expected",
            |f| {
                let env_dir = f.path(Place::Environment(f.env)).parent().unwrap().to_owned();
                let p = env_dir.parent().unwrap().join("header-presets");
                fs::remove_dir_all(&p).unwrap();
                written(p, "not a folder")
            },
            |k| matches!(k, ProblemKind::WrongKind { expected: "folder" }),
        ),
        Case::new(
            "a folder where a file is expected",
            |f| {
                let p = f.good_path_sibling("odd.request.ron");
                fs::create_dir(&p).unwrap();
                fs::write(p.join("inner.txt"), "keep me").unwrap();
                p
            },
            |k| matches!(k, ProblemKind::WrongKind { expected: "file" }),
        ),
        Case::parse("broken secrets file", |f| {
            replaced(f.dir.path().join("secrets.ron"), "values: {", "values: [")
        }),
    ]
}

fn cases() -> Vec<Case> {
    request_file_cases().into_iter().chain(other_file_cases()).collect()
}

impl Fixture {
    fn good_path_sibling(&self, name: &str) -> PathBuf {
        self.path(Place::Request(self.good)).parent().unwrap().join(name)
    }
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_broken_file_is_reported_and_the_rest_loads() {
    let cases = cases();
    assert!(cases.len() >= 20, "the suite covers at least 20 distinct broken files");
    for case in cases {
        let fixture = Fixture::new();
        let broken = (case.plant)(&fixture);
        let broken_bytes = if broken.is_file() { Some(fs::read(&broken).unwrap()) } else { None };

        let mut opened =
            Store::open(fixture.dir.path()).unwrap_or_else(|e| panic!("{}: open failed: {e}", case.name));
        let problem = opened
            .report
            .problems
            .iter()
            .find(|p| p.path == broken && p.severity() == Severity::Error)
            .unwrap_or_else(|| {
                panic!("{}: no error for {}; got {:#?}", case.name, broken.display(), opened.report.problems)
            });
        assert!((case.expect)(&problem.kind), "{}: unexpected report {problem}", case.name);
        if let Some(line) = case.line {
            let ProblemKind::Parse { line: got, column, .. } = problem.kind else {
                panic!("{}: {problem}", case.name)
            };
            assert_eq!(got, line, "{}: {problem}", case.name);
            assert!(column > 0);
        }
        let shown = problem.to_string();
        assert!(
            shown.contains(&broken.display().to_string()),
            "{}: message names the file: {shown}",
            case.name
        );

        // The good request still loads (under a placeholder when its parent is the broken file).
        let loaded = opened.library.workspaces.values().find_map(|w| w.requests.get(&fixture.good));
        assert!(loaded.is_some(), "{}: the good request did not load", case.name);

        // Saving everything that did load never touches the broken file.
        let before = snapshot(fixture.dir.path());
        let library = opened.library.clone();
        for ws in library.workspaces.values() {
            let _ = opened.store.save_workspace(&ws.workspace);
            for c in ws.collections.values() {
                let _ = opened.store.save_collection(ws.id(), c);
            }
            for (id, r) in &ws.requests {
                if let Some(parent) = ws.parent_of(ItemId::Request(*id)) {
                    opened.store.save_request(parent, r).unwrap_or_else(|e| panic!("{}: {e}", case.name));
                }
            }
            for e in ws.environments.values() {
                let _ = opened.store.save_environment(ws.id(), e);
            }
            let _ = opened.store.save_globals(ws.id(), &ws.globals);
        }
        if let Some(bytes) = &broken_bytes {
            assert_eq!(&fs::read(&broken).unwrap(), bytes, "{}: broken file was overwritten", case.name);
        }
        let after = snapshot(fixture.dir.path());
        for (path, bytes) in &before {
            if path == &broken || path.starts_with(&broken) {
                let now = after.iter().find(|(p, _)| p == path).map(|(_, b)| b);
                assert_eq!(now, Some(bytes), "{}: {} changed", case.name, path.display());
            }
        }
    }
}

#[test]
fn writing_over_a_broken_file_is_refused_with_its_reason() {
    let fixture = Fixture::new();
    let path = fixture.victim_path();
    fs::write(&path, "(format: 1, request: (").unwrap();
    let mut opened = Store::open(fixture.dir.path()).unwrap();
    // A request created with a colliding name gets a fresh file instead.
    let twin = Request::new("Create invoice");
    opened.store.save_request(ParentId::Folder(fixture.folder), &twin).unwrap();
    let twin_path = opened.store.path_of(Place::Request(twin.id)).unwrap();
    assert_ne!(twin_path, path);
    assert_eq!(fs::read_to_string(&path).unwrap(), "(format: 1, request: (");

    // The secrets file is never rewritten while broken: saving a secret fails and says why.
    let secrets = fixture.dir.path().join("secrets.ron");
    fs::write(&secrets, "garbage").unwrap();
    let mut opened = Store::open(fixture.dir.path()).unwrap();
    let mut env = opened.library.workspaces[&fixture.ws].environments[&fixture.env].clone();
    env.variables[1].value = "new".into();
    let err = opened.store.save_environment(fixture.ws, &env).unwrap_err();
    assert!(matches!(err, StoreError::Broken { .. }), "{err}");
    assert!(err.to_string().contains("secrets.ron"), "{err}");
    assert_eq!(fs::read_to_string(&secrets).unwrap(), "garbage");
}

#[test]
fn unknown_fields_load_with_a_warning() {
    let fixture = Fixture::new();
    let path = fixture.victim_path();
    replace_in(&path, "name: \"Create invoice\",", "name: \"Create invoice\",\n        colour: \"teal\",");
    let opened = Store::open(fixture.dir.path()).unwrap();
    let ws = &opened.library.workspaces[&fixture.ws];
    assert_eq!(ws.requests[&fixture.victim].name, "Create invoice");
    let problem = opened.report.problems.iter().find(|p| p.path == path).unwrap();
    assert_eq!(problem.kind, ProblemKind::UnknownFields(vec!["request.colour".into()]));
    assert_eq!(problem.severity(), Severity::Warning);
}

#[test]
fn orders_are_reconciled_with_what_is_there() {
    let fixture = Fixture::new();
    let folder_file = fixture.path(Place::Folder(fixture.folder));
    let ghost = RequestId::new();
    // The order lists a child that does not exist, lists one twice and forgets another.
    let text = fs::read_to_string(&folder_file).unwrap();
    let good = format!("Request(\"{}\")", fixture.good);
    let victim = format!("Request(\"{}\")", fixture.victim);
    let text = text.replace(&format!("{victim},"), &format!("Request(\"{ghost}\"), {good},"));
    fs::write(&folder_file, text).unwrap();
    let opened = Store::open(fixture.dir.path()).unwrap();
    let kinds: Vec<_> =
        opened.report.problems.iter().filter(|p| p.path == folder_file).map(|p| p.kind.clone()).collect();
    assert!(kinds.contains(&ProblemKind::MissingChild { id: ghost.to_string() }), "{kinds:?}");
    assert!(kinds.contains(&ProblemKind::ListedTwice { id: fixture.good.to_string() }), "{kinds:?}");
    assert!(kinds.contains(&ProblemKind::Unlisted { id: fixture.victim.to_string() }), "{kinds:?}");
    let children = &opened.library.workspaces[&fixture.ws].folders[&fixture.folder].children;
    // Listed ones first (the ghost kept, so nothing is lost), the unlisted one last.
    assert_eq!(
        children,
        &vec![ItemId::Request(fixture.good), ItemId::Request(ghost), ItemId::Request(fixture.victim)]
    );
}

#[test]
fn opening_a_file_instead_of_a_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data");
    fs::write(&file, "x").unwrap();
    let err = Store::open(&file).unwrap_err();
    assert!(err.to_string().contains("not a folder") && err.to_string().contains("data"), "{err}");
}

fn localpost(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_localpost"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("LOCALPOST_DATA_DIR")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// Every file under `dir` that holds `id`.
fn files_holding(dir: &Path, id: &str) -> Vec<PathBuf> {
    snapshot(dir)
        .into_iter()
        .filter(|(_, b)| String::from_utf8_lossy(b).contains(id))
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn an_overwrite_import_never_shadows_an_entity_whose_file_did_not_load() {
    type Damage = fn(&Fixture) -> PathBuf;
    let cases: [(&str, Damage); 5] = [
        ("request cut in half", |f| cut_in_half(f.victim_path())),
        ("request emptied (its id only in the folder's order)", |f| written(f.victim_path(), "")),
        ("collection.ron", |f| {
            replaced(f.path(Place::Collection(f.collection)), "collection: (", "collection: [")
        }),
        ("folder.ron emptied", |f| written(f.path(Place::Folder(f.folder)), "")),
        ("workspace.ron", |f| {
            replaced(f.path(Place::Workspace(f.ws)), "workspace: (", "workspace: (\n        id: 7,")
        }),
    ];
    for (name, damage) in cases {
        let f = Fixture::new();
        let out_dir = tempfile::tempdir().unwrap();
        let bundle = out_dir.path().join("bundle.ron");
        let (ok, out) = localpost(f.dir.path(), &["export", "--output", bundle.to_str().unwrap()]);
        assert!(ok, "{name}: {out}");
        let broken = damage(&f);
        let before = snapshot(f.dir.path());

        let (ok, out) =
            localpost(f.dir.path(), &["import", bundle.to_str().unwrap(), "--on-conflict", "overwrite"]);
        assert!(!ok, "{name}: the import went through:\n{out}");
        assert!(out.contains(&broken.display().to_string()) && out.contains("did not load"), "{name}: {out}");
        assert!(out.contains("nothing was written"), "{name}: {out}");
        assert_eq!(snapshot(f.dir.path()), before, "{name}: the data folder changed");
        let victim = f.victim.to_string();
        assert!(files_holding(f.dir.path(), &victim).len() <= 2, "{name}: a twin of the request");
    }
}

#[test]
fn a_damaged_parent_shows_its_children_under_a_placeholder() {
    // A collection file that does not parse: its folder's requests still load.
    let f = Fixture::new();
    let collection_file = f.path(Place::Collection(f.collection));
    fs::write(&collection_file, "(format: 1, collection: (name: \"no id\"))").unwrap();
    let bytes = fs::read(&collection_file).unwrap();
    let mut opened = Store::open(f.dir.path()).unwrap();
    let ws = &opened.library.workspaces[&f.ws];
    assert_eq!(ws.collections.len(), 1);
    let placeholder = ws.collections.values().next().unwrap().clone();
    assert_eq!(placeholder.name, "billing", "named after its folder");
    assert!(ws.is_damaged(placeholder.id.0));
    assert!(ws.requests.contains_key(&f.good) && ws.requests.contains_key(&f.victim));
    assert_eq!(ws.requests_under(ParentId::Collection(placeholder.id)).len(), 2);
    // It can be exported, and saving it or what is inside never rewrites the damaged file.
    let (ok, out) = localpost(
        f.dir.path(),
        &["export", "--collection", "billing", "--format", "postman", "--output", "-"],
    );
    assert!(ok && out.contains("Create invoice"), "{out}");
    let err = opened.store.save_collection(f.ws, &placeholder).unwrap_err();
    assert!(matches!(err, StoreError::Broken { .. }), "{err}");
    let mut good = opened.library.workspaces[&f.ws].requests[&f.good].clone();
    good.description = "still editable".into();
    opened.store.save_request(ParentId::Folder(f.folder), &good).unwrap();
    assert_eq!(fs::read(&collection_file).unwrap(), bytes);
    let (ok, out) = localpost(f.dir.path(), &["ls"]);
    assert!(ok && out.contains("billing") && out.contains("Create invoice"), "{out}");
    assert!(out.contains("damaged"), "ls marks the placeholder: {out}");

    // A workspace file that does not parse: the workspace is still there, under its folder's name.
    let f = Fixture::new();
    let ws_file = f.path(Place::Workspace(f.ws));
    fs::write(&ws_file, "garbage").unwrap();
    let opened = Store::open(f.dir.path()).unwrap();
    assert_eq!(opened.library.workspaces.len(), 1, "no new \"My Workspace\" beside a damaged one");
    let ws = opened.library.workspaces.values().next().unwrap();
    assert_eq!(ws.id(), f.ws, "the id its folder order names");
    assert!(ws.is_damaged(ws.id().0));
    assert_eq!(ws.workspace.name, "my-workspace");
    assert_eq!(ws.requests.len(), 2);
    assert_eq!(ws.environments.len(), 1);
    assert_eq!(fs::read_to_string(&ws_file).unwrap(), "garbage");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_data_folder_does_not_hang_any_command() {
    let f = Fixture::new();
    let fifo = f.victim_path().parent().unwrap().join("fifo.request.ron");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_localpost"))
        .arg("--data-dir")
        .arg(f.dir.path())
        .arg("doctor")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "doctor hung on a pipe");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&fifo.display().to_string()) && text.contains("not a regular file"), "{text}");
    let (ok, out) = localpost(f.dir.path(), &["ls"]);
    assert!(ok && out.contains("List invoices"), "{out}");
}
