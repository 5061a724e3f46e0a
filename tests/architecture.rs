//! The layers stay true: every `crate::<module>` a file in `src/` names (outside comments) must
//! point down the graph below, written once here. An import that points up or sideways fails
//! with the file and line.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, bottom first. A module may use the modules of any layer below its own; modules
/// of one layer do not use each other. `cli` sits beside the app (it may not use `app` or `ui`);
/// `ui` reads the app's state and returns commands, so it sits above `app`; `shell` (the
/// window: eframe's `App`) composes the two.
const LAYERS: &[&[&str]] = &[
    &["model"],
    &["storage", "vars"],
    &["http", "interop", "policy", "script"],
    &["runner"],
    &["app", "cli"],
    &["ui"],
    &["shell"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn allowed(from: &str, to: &str) -> bool {
    match (layer_of(from), layer_of(to)) {
        (Some(a), Some(b)) => b < a,
        // A module not in the graph is a new top-level module: it must be placed first.
        _ => false,
    }
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The line without its comment (a `//` not part of a URL's `://`).
fn code_of(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut i = 0;
    while let Some(at) = line[i..].find("//") {
        let at = i + at;
        if at > 0 && bytes[at - 1] == b':' {
            i = at + 2;
            continue;
        }
        return &line[..at];
    }
    line
}

/// The top-level modules a line of code names through `crate::`, including grouped uses
/// (`use crate::{model::X, vars}`).
fn named_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or_default();
            for part in inner.split(',') {
                let name: String =
                    part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() {
                    found.push(name);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

/// (from, to) -> the places it happens.
fn edges() -> BTreeMap<(String, String), Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut edges: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let first = relative.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.strip_suffix(".rs").unwrap_or(&first).to_owned();
        // lib.rs and main.rs compose the crate: they name every module.
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Multi-line grouped uses: join each `use crate::{ ... };` onto one line first.
        let mut joined = String::new();
        let mut open = false;
        let mut start_line = 0;
        let mut lines: Vec<(usize, String)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let code = code_of(line);
            if open {
                joined.push(' ');
                joined.push_str(code.trim());
                if code.contains("};") {
                    lines.push((start_line, std::mem::take(&mut joined)));
                    open = false;
                }
            } else if code.contains("crate::{") && !code.contains('}') {
                joined = code.to_owned();
                open = true;
                start_line = n + 1;
            } else {
                lines.push((n + 1, code.to_owned()));
            }
        }
        for (n, code) in lines {
            for to in named_modules(&code) {
                if to == module || to == "self" || to == "super" {
                    continue;
                }
                edges
                    .entry((module.clone(), to))
                    .or_default()
                    .push(format!("src/{}:{n}", relative.display()));
            }
        }
    }
    edges
}

#[test]
fn every_import_points_down_the_layers() {
    let edges = edges();
    let mut wrong = Vec::new();
    for ((from, to), places) in &edges {
        if !allowed(from, to) {
            let shown: Vec<&str> = places.iter().take(5).map(String::as_str).collect();
            wrong.push(format!("{from} -> {to}: {}", shown.join(", ")));
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layers (model; storage, vars; http, interop, policy, script; runner; app, cli; ui; shell):\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_reader_sees_grouped_and_commented_uses() {
    assert_eq!(named_modules("use crate::{model::Request, vars};"), ["model", "vars"]);
    assert_eq!(named_modules("let x = crate::http::send(&y);"), ["http"]);
    assert_eq!(code_of("let u = \"http://x\"; // crate::ui"), "let u = \"http://x\"; ");
    assert!(named_modules(code_of("/// see [`crate::storage`]")).is_empty());
    assert!(allowed("runner", "model") && !allowed("model", "runner") && !allowed("http", "policy"));
    assert!(!allowed("cli", "app") && allowed("ui", "app") && !allowed("app", "ui"));
}
