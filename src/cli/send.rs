//! `localpost send <workspace/collection/.../request>`: sends a saved request with the engine and
//! prints the status line, the headers and the body (JSON pretty-printed). Exits 0 when a
//! response came back (whatever its status), 1 when the request could not be sent or no
//! response came (missing variables, DNS, refused, TLS, timeout...), 2 when the path or
//! environment does not exist.
//!
//! The path is matched name by name against the real tree, so a name containing `/` is written
//! as it is (`My API/v1/users` finds a collection named `My API` with a request named `v1/users`
//! as well as a folder `v1` holding `users`); when both exist the path is ambiguous and every
//! match is listed.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use super::out::errln;
use crate::http::{self, Engine, Exchange};
use crate::model::{ItemId, ParentId, RequestId, WorkspaceData};
use crate::vars::{ScopeKind, Scopes};

#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// The request: workspace, collection, folders and request names joined by `/`.
    /// Names that contain `/` are written as they are; they are matched against the tree.
    #[arg(value_name = "WORKSPACE/COLLECTION/.../REQUEST")]
    path: String,
    /// The environment to use, by name.
    #[arg(long, value_name = "NAME")]
    env: Option<String>,
    /// A value for a variable (the narrowest scope, above the environment); repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    vars: Vec<(String, String)>,
    /// Do not record this send in the workspace's history.
    #[arg(long)]
    no_history: bool,
}

pub(super) fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_owned(), v.to_owned())),
        _ => Err(format!("`{s}` is not NAME=VALUE")),
    }
}

/// Every request matching `path`, as (workspace index, request id, its path as found).
fn find_requests<'a>(
    workspaces: impl Iterator<Item = &'a WorkspaceData>,
    path: &str,
) -> Vec<(&'a WorkspaceData, RequestId)> {
    let mut found = Vec::new();
    for ws in workspaces {
        let Some(rest) = strip_name(path, &ws.workspace.name) else { continue };
        let Some(rest) = rest else { continue };
        for c in ws.collections.values() {
            if let Some(Some(after)) = strip_name(rest, &c.name) {
                walk(ws, ParentId::Collection(c.id), after, &mut found, 0);
            }
        }
    }
    found
}

/// The environment named `name` (exact, else ignoring case), or a message listing the names.
pub(super) fn find_environment(
    ws: &WorkspaceData,
    name: &str,
) -> Result<crate::model::EnvironmentId, String> {
    ws.environments
        .values()
        .find(|e| e.name == name)
        .or_else(|| ws.environments.values().find(|e| e.name.eq_ignore_ascii_case(name)))
        .map(|e| e.id)
        .ok_or_else(|| {
            let names: Vec<&str> = ws.environments.values().map(|e| e.name.as_str()).collect();
            format!(
                "no environment named {name} in {} (there are: {})",
                ws.workspace.name,
                if names.is_empty() { "none".to_owned() } else { names.join(", ") }
            )
        })
}

/// `Some(Some(rest))` when `path` is `name/rest`, `Some(None)` when it is exactly `name`.
pub(super) fn strip_name<'p>(path: &'p str, name: &str) -> Option<Option<&'p str>> {
    if path == name {
        return Some(None);
    }
    path.strip_prefix(name).and_then(|r| r.strip_prefix('/')).map(Some)
}

fn walk<'a>(
    ws: &'a WorkspaceData,
    parent: ParentId,
    rest: &str,
    found: &mut Vec<(&'a WorkspaceData, RequestId)>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let Some(children) = ws.children(parent) else { return };
    for child in children {
        match child {
            ItemId::Request(id) => {
                if ws.requests.get(id).is_some_and(|r| r.name == rest) {
                    found.push((ws, *id));
                }
            }
            ItemId::Folder(id) => {
                if let Some(folder) = ws.folders.get(id)
                    && let Some(Some(after)) = strip_name(rest, &folder.name)
                {
                    walk(ws, ParentId::Folder(*id), after, found, depth + 1);
                }
            }
        }
    }
}

/// `workspace/collection/.../request` of a request, for messages.
fn path_of(ws: &WorkspaceData, id: RequestId) -> String {
    let mut names: Vec<String> = ws
        .ancestors(ItemId::Request(id))
        .into_iter()
        .rev()
        .filter_map(|p| ws.parent_name(p).map(str::to_owned))
        .collect();
    names.insert(0, ws.workspace.name.clone());
    names.push(ws.requests.get(&id).map(|r| r.name.clone()).unwrap_or_default());
    names.join("/")
}

pub fn run(
    data_dir: &Path,
    args: &SendArgs,
    policy: &std::sync::Arc<crate::policy::EffectivePolicy>,
) -> anyhow::Result<ExitCode> {
    let mut opened = super::open_store(data_dir)?;
    let library = &opened.library;
    let matches = find_requests(library.workspaces.values(), &args.path);
    let (ws, request_id) = match matches.as_slice() {
        [one] => *one,
        [] => {
            errln!("localpost: no request at {} in {}", args.path, data_dir.display());
            errln!("(run `localpost ls` to see the tree)");
            return Ok(ExitCode::from(2));
        }
        many => {
            errln!("localpost: {} is ambiguous; it matches:", args.path);
            for (ws, id) in many {
                errln!("  {} ({})", path_of(ws, *id), id);
            }
            return Ok(ExitCode::from(2));
        }
    };
    let Some(request) = ws.requests.get(&request_id) else { return Ok(ExitCode::from(2)) };
    let environment = match &args.env {
        None => None,
        Some(name) => match find_environment(ws, name) {
            Ok(id) => Some(id),
            Err(message) => {
                errln!("localpost: {message}");
                return Ok(ExitCode::from(2));
            }
        },
    };
    let mut scopes = Scopes::for_request(ws, request_id, environment);
    if !args.vars.is_empty() {
        scopes = scopes.with_values(
            ScopeKind::Runtime,
            "--var",
            args.vars.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
    }
    let (settings, problem) = opened.store.load_settings();
    if let Some(problem) = problem {
        errln!("localpost: warning: {problem}");
    }
    // A variable no scope defines stops the send unless the setting says to send it as written.
    let prepared = if policy.effective_settings(&settings).send_unresolved_variables {
        let chain = ws.ancestors(crate::model::ItemId::Request(request.id));
        http::prepare_as_written(request, Some(ws), &chain, &scopes)
            .inspect(|(_, missing)| {
                if !missing.is_empty() {
                    errln!("localpost: {}", http::sent_as_written(missing));
                }
            })
            .map(|(p, _)| p)
    } else {
        http::prepare(request, Some(ws), &scopes)
    };
    let prepared = match prepared {
        Ok(p) => p,
        Err(e) => {
            errln!("localpost: {e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let ws_id = ws.id();
    // What the policy fixes (TLS verification, CA files, proxy...) wins over the user's file,
    // and every connection asks the policy first.
    let engine = Engine::new(policy.effective_settings(&settings))?;
    engine.set_guard(policy.clone());
    let (jar, problem) = opened.store.load_cookies(ws_id);
    if let Some(problem) = problem {
        errln!("localpost: warning: {problem}");
    }
    engine.set_cookie_jar(Some(ws_id), jar);
    let started_at = time::OffsetDateTime::now_utc();
    let result = engine.send_blocking(&prepared);
    if !args.no_history
        && let Some(entry) = engine.history_entry(&prepared, &result, started_at)
        && let Err(e) = opened.store.record_history(ws_id, &entry, &engine.settings())
    {
        errln!("localpost: warning: history not recorded: {e}");
    }
    match result {
        Ok(exchange) => {
            if exchange.cookies_changed
                && let Err(e) = opened.store.save_cookies(ws_id, &engine.cookie_jar(Some(ws_id)))
            {
                errln!("localpost: warning: cookies not saved: {e}");
            }
            print_exchange(&exchange)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            errln!("localpost: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn print_exchange(ex: &Exchange) -> anyhow::Result<()> {
    let r = &ex.response;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for hop in &ex.redirects {
        errln!("{} → {}", hop.status, hop.location);
    }
    writeln!(out, "{} {} {}", r.http_version, r.status, r.reason)?;
    for h in &r.headers {
        writeln!(out, "{}: {}", h.name, h.value)?;
    }
    writeln!(out)?;
    if let Some(path) = r.body.file_path() {
        let mut file = std::fs::File::open(path)
            .with_context(|| format!("cannot read the body at {}", path.display()))?;
        std::io::copy(&mut file, &mut out)?;
    } else {
        let bytes = r.body.head();
        match std::str::from_utf8(bytes) {
            Ok(text) if r.is_json() => match pretty_json(text) {
                Some(pretty) => writeln!(out, "{pretty}")?,
                None => out.write_all(bytes)?,
            },
            _ => out.write_all(bytes)?,
        }
    }
    out.flush()?;
    errln!(
        "{} {} · {} ms · {}{}",
        r.status,
        r.reason,
        ex.timing.total.as_millis(),
        http::size(r.body.len_bytes()),
        if r.wire_size_bytes != r.body.len_bytes() {
            format!(" ({} on the wire)", http::size(r.wire_size_bytes))
        } else {
            String::new()
        }
    );
    Ok(())
}

/// Re-indents valid JSON text, keeping key order and number spelling; `None` if not JSON.
pub fn pretty_json(text: &str) -> Option<String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).ok()?;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(s) = chars.next() {
                    out.push(s);
                    if s == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if s == '"' {
                        break;
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}' | ']')) {
                    if let Some(close) = chars.next() {
                        out.push(close);
                    }
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_json_keeps_order_and_strings() {
        let text = r#"{"z":1,"a":[1, 2.50,{}],"s":"a,{b}: \"c\"","e":[]}"#;
        assert_eq!(
            pretty_json(text).unwrap(),
            "{\n  \"z\": 1,\n  \"a\": [\n    1,\n    2.50,\n    {}\n  ],\n  \"s\": \"a,{b}: \\\"c\\\"\",\n  \"e\": []\n}"
        );
        assert_eq!(pretty_json("not json"), None);
    }

    #[test]
    fn names_with_slashes_are_matched_against_the_tree() {
        use crate::model::{Collection, Folder, Request, Workspace};
        let mut ws = WorkspaceData::new(Workspace::new("W"));
        let mut c = Collection::new("My API");
        let mut v1 = Folder::new("v1");
        let users = Request::new("users");
        let slashed = Request::new("v1/users");
        v1.children.push(ItemId::Request(users.id));
        c.children = vec![ItemId::Folder(v1.id), ItemId::Request(slashed.id)];
        let other = Request::new("a/b");
        c.children.push(ItemId::Request(other.id));
        for r in [&users, &slashed, &other] {
            ws.requests.insert(r.id, r.clone());
        }
        ws.folders.insert(v1.id, v1);
        ws.collections.insert(c.id, c);
        let list = [ws];
        assert_eq!(find_requests(list.iter(), "W/My API/v1/users").len(), 2, "ambiguous");
        let found = find_requests(list.iter(), "W/My API/a/b");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, other.id);
        assert_eq!(path_of(found[0].0, other.id), "W/My API/a/b");
        assert!(find_requests(list.iter(), "W/My API/nope").is_empty());
    }
}
