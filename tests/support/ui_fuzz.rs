//! Random use of the window: long seeded sequences of actions (every command of the palette,
//! clicks and right-clicks on whatever is on screen, keys with and without modifiers, text of
//! every kind typed or pasted into fields, scrolling, drags) on a workspace imported from the
//! corpus plus a collection that talks to a local server. Shared by the short run in `cargo test`
//! (`tests/app_fuzz.rs`) and the long one (`benches/ui_fuzz.rs`).
//!
//! Every send is kept on this machine: the policy allows loopback hosts only, so the corpus's
//! requests to public hosts are refused before any connection.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Arc;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use localpost::app::AppOptions;
use localpost::app::command::{Action, Command};
use localpost::interop::apply::{self, Choices, Resolution, Target};
use localpost::model::*;
use localpost::policy::{EffectivePolicy, SourceInput, SourceKind};
use localpost::shell::Window;
use localpost::storage::Store;

use super::{Reply, Server};

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    pub actions: usize,
    /// Each panic: the action that led to it and the message.
    pub panics: Vec<String>,
    pub by_kind: BTreeMap<&'static str, usize>,
}

/// Corpus files imported into the fuzzed workspace.
const CORPUS: &[&str] = &[
    "postman-v2.1/postman-echo-hawk-digest-oauth1.postman_collection.json",
    "postman-v2.1/postman-api-scripts-all-levels.postman_collection.json",
    "postman-v2.1/newman-whatwg-url-unicode.postman_collection.json",
    "postman-v2.1/bruno-export-oauth2-all-grants.postman_collection.json",
    "insomnia/rentx-v4-nested-folder-env.insomnia.json",
    "postman-environment/newman-disabled-and-duplicate-vars.postman_environment.json",
];

/// A data folder holding the corpus files above and a "Local" collection against `server`.
pub fn data_folder(dir: &Path, server: &Server) {
    let mut opened = Store::open(dir).unwrap();
    let corpus = super::corpus();
    for file in CORPUS {
        let bytes = std::fs::read(corpus.join(file)).unwrap();
        let imported = localpost::interop::import(&bytes, file).unwrap();
        let plan = apply::plan(&imported, &opened.library, &Target::Auto).unwrap();
        super::data::write_import(
            &plan,
            &Choices::all(Resolution::KeepBoth),
            &mut opened.store,
            &mut opened.library,
        )
        .unwrap();
    }
    let ws_id = *opened.library.workspaces.keys().next().unwrap();
    let mut ws = opened.library.workspaces[&ws_id].workspace.clone();
    let mut c = Collection::new("Local ✓ ünïcødé");
    c.variables.push(Variable::new("base", server.url("")));
    c.variables.push(Variable::new("token", "s3cret").secret());
    let mut requests = Vec::new();
    for (name, path, method) in [
        ("json", "/json", Method::Get),
        ("text", "/text", Method::Get),
        ("big", "/big", Method::Get),
        ("binary", "/bin", Method::Get),
        ("post", "/post", Method::Post),
        ("cookie", "/cookie", Method::Get),
        ("html", "/html", Method::Get),
        ("odd", "/json", Method::Custom("PRÜFEN".into())),
    ] {
        let mut r =
            Request::new(name).with_method(method).with_url(format!("{{{{base}}}}{path}?q={{{{token}}}}"));
        r.auth = Auth::Bearer { token: "{{token}}".into() };
        r.body = Body::json(r#"{"a": [1, 2, {"b": "ç"}]}"#);
        c.children.push(ItemId::Request(r.id));
        requests.push(r);
    }
    opened.store.save_collection(ws_id, &c).unwrap();
    for r in &requests {
        opened.store.save_request(ParentId::Collection(c.id), r).unwrap();
    }
    ws.collections.push(c.id);
    let mut env = Environment::new("Fuzz env");
    env.variables.push(Variable::new("base", server.url("")));
    ws.environments.push(env.id);
    opened.store.save_environment(ws_id, &env).unwrap();
    opened.store.save_workspace(&ws).unwrap();
}

/// A loopback server with bodies of every kind the response view shows.
pub fn server() -> Server {
    Server::start(|r| match r.path() {
        "/json" => {
            Reply::json(r#"{"id": 1, "name": "Ada", "tags": ["a", "b"], "nested": {"deep": [1, 2, 3]}}"#)
        }
        "/text" => Reply::text(200, "plain text\nwith lines\tand tabs"),
        "/big" => Reply::json(&format!("[{}]", vec![r#"{"k": "vvvvvvvvvvvvvvvvvvvv"}"#; 20_000].join(","))),
        "/bin" => {
            Reply::new(200).header("content-type", "application/octet-stream").body((0..=255u8).collect())
        }
        "/cookie" => Reply::text(200, "set").header("set-cookie", "sid=abc; Path=/; HttpOnly"),
        "/html" => {
            Reply::new(200).header("content-type", "text/html").body(b"<html><b>hi</b></html>".to_vec())
        }
        _ => Reply::text(200, &r.body_text()),
    })
}

/// Loopback only: the corpus's requests to public hosts are refused before any connection.
fn loopback_policy() -> Arc<EffectivePolicy> {
    let text = r#"(schema_version: 1, allowed_hosts: ["127.0.0.1", "localhost", "::1"])"#;
    let source =
        SourceInput::new("/etc/localpost/policy.ron", SourceKind::Machine, Ok(text.as_bytes().to_vec()));
    Arc::new(EffectivePolicy::from_inputs(vec![source]))
}

fn open(dir: &Path) -> Harness<'static, Window> {
    let mut options = AppOptions::new(dir.to_owned());
    options.policy = loopback_policy();
    super::app::open_as_shipped(options)
}

/// Text of every kind people and files put into fields.
fn text(rng: &mut fastrand::Rng) -> String {
    const SAMPLES: &[&str] = &[
        "http://127.0.0.1:9/path?q=1#frag",
        "{{base}}/users/:id?x={{token}}",
        "{{",
        "}}",
        "{{{{nested}}}}",
        "{{$randomInt}} {{$guid}}",
        "Überweisung ÄÖÜ ß ñ é",
        "請求 데이터 データ",
        "e\u{301}\u{301}\u{301}",
        "مرحبا بالعالم",
        "שלום עולם",
        "\u{202E}reversed\u{202C} text",
        "\u{200F}rtl mark",
        "🚀👩‍👩‍👧‍👦🏳️‍🌈🇺🇳",
        "\u{FEFF}bom",
        "\u{0}\u{7}\u{8}\t\r\n\u{1b}[31m",
        "\u{FFFD}\u{FFFF}",
        "curl -X POST 'http://127.0.0.1:9/x' -H 'A: b' --data-raw '{\"a\":1}'",
        "{\"a\": [1, 2, {\"b\": null}]}",
        "<xml attr=\"1\">&amp;</xml>",
        "a=1&b=2&c",
        " ",
        "",
        "AÄÄÄ",
        "::::",
        "%%%",
        "\\\\",
        "'\"`",
        "../../etc/passwd",
        "GET",
        "*",
    ];
    match rng.u8(0..10) {
        0 => "x".repeat(10_000),
        1 => (0..10_000)
            .map(|_| rng.choice(['a', 'é', '🚀', ' ', '{', '}', '\n', 'ش']).unwrap_or('a'))
            .collect(),
        2 => (0..rng.usize(1..40)).map(|_| char::from_u32(rng.u32(0..0x11_0000)).unwrap_or('?')).collect(),
        3 => (0..rng.usize(1..40)).map(|_| char::from(rng.u8(0x20..0x7f))).collect(),
        _ => (*rng.choice(SAMPLES).unwrap_or(&"")).to_owned(),
    }
}

const KEYS: &[Key] = &[
    Key::Enter,
    Key::Escape,
    Key::Tab,
    Key::ArrowUp,
    Key::ArrowDown,
    Key::ArrowLeft,
    Key::ArrowRight,
    Key::Backspace,
    Key::Delete,
    Key::Home,
    Key::End,
    Key::PageUp,
    Key::PageDown,
    Key::F2,
    Key::Space,
    Key::A,
    Key::C,
    Key::D,
    Key::K,
    Key::L,
    Key::P,
    Key::S,
    Key::T,
    Key::V,
    Key::W,
    Key::X,
    Key::Z,
    Key::Comma,
    Key::Plus,
    Key::Minus,
];

fn modifiers(rng: &mut fastrand::Rng) -> Modifiers {
    match rng.u8(0..6) {
        0 => Modifiers::COMMAND,
        1 => Modifiers::COMMAND | Modifiers::SHIFT,
        2 => Modifiers::SHIFT,
        3 => Modifiers::ALT,
        _ => Modifiers::NONE,
    }
}

fn interactive(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::RadioButton
            | Role::ComboBox
            | Role::Link
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::SpinButton
            | Role::Slider
            | Role::Tab
            | Role::MenuItem
            | Role::ListBoxOption
            | Role::Label
    )
}

/// Rectangles and roles of what is on screen now (taken before anything changes the tree).
fn targets(harness: &Harness<'_, Window>) -> Vec<(egui::Rect, Role, Option<String>)> {
    harness
        .query_all(By::new().predicate(|n| interactive(n.role())))
        .map(|n| (n.rect(), n.accesskit_node().role(), n.accesskit_node().label()))
        .filter(|(_, _, label)| !out_of_bounds(label.as_deref()))
        .collect()
}

/// Labels never clicked: one hands the machine to another program (a file manager); the other
/// would replace the loopback-only policy of the run with this machine's.
fn out_of_bounds(label: Option<&str>) -> bool {
    label.is_some_and(|l| l.contains("Open in file manager") || l == "Reload")
}

/// One random action; returns its kind and a description for a panic report.
fn act(harness: &mut Harness<'static, Window>, rng: &mut fastrand::Rng) -> (&'static str, String) {
    match rng.u8(0..100) {
        0..8 => {
            let action = *rng.choice(Action::ALL.iter()).unwrap_or(&Action::NewRequest);
            harness.state_mut().apply(&egui::Context::default(), Command::Action(action));
            ("palette command", format!("{action:?}"))
        }
        8..45 => {
            let all = targets(harness);
            let Some((rect, role, label)) = rng.choice(all) else { return ("click", "nothing".into()) };
            let at = rect.center();
            harness.event(egui::Event::PointerMoved(at));
            let secondary = rng.u8(0..6) == 0;
            let button =
                if secondary { egui::PointerButton::Secondary } else { egui::PointerButton::Primary };
            for pressed in [true, false] {
                harness.event(egui::Event::PointerButton {
                    pos: at,
                    button,
                    pressed,
                    modifiers: modifiers(rng),
                });
            }
            (if secondary { "right click" } else { "click" }, format!("{role:?} {label:?} at {at:?}"))
        }
        45..65 => {
            let inputs: Vec<_> = targets(harness)
                .into_iter()
                .filter(|(_, r, _)| matches!(r, Role::TextInput | Role::MultilineTextInput))
                .collect();
            let typed = text(rng);
            let description = format!("{} chars", typed.chars().count());
            if let Some((rect, _, label)) = rng.choice(inputs) {
                let at = rect.center();
                harness.event(egui::Event::PointerMoved(at));
                for pressed in [true, false] {
                    harness.event(egui::Event::PointerButton {
                        pos: at,
                        button: egui::PointerButton::Primary,
                        pressed,
                        modifiers: Modifiers::NONE,
                    });
                }
                harness.step();
                if rng.bool() {
                    harness.event(egui::Event::Paste(typed));
                    return ("paste", format!("{description} into {label:?}"));
                }
                harness.event(egui::Event::Text(typed));
                return ("type", format!("{description} into {label:?}"));
            }
            harness.event(egui::Event::Text(typed));
            ("type", description)
        }
        65..85 => {
            let key = *rng.choice(KEYS).unwrap_or(&Key::Enter);
            let mods = modifiers(rng);
            harness.key_press_modifiers(mods, key);
            ("key", format!("{mods:?} {key:?}"))
        }
        85..92 => {
            let at = egui::pos2(rng.f32() * 1280.0, rng.f32() * 800.0);
            harness.event(egui::Event::PointerMoved(at));
            harness.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, rng.f32() * 800.0 - 400.0),
                modifiers: Modifiers::NONE,
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
            });
            ("scroll", format!("at {at:?}"))
        }
        92..96 => {
            // A drag from one thing to another (the tree reorders on drop).
            let all = targets(harness);
            let (Some(from), Some(to)) = (rng.choice(all.clone()), rng.choice(all)) else {
                return ("drag", "nothing".into());
            };
            let (a, b) = (from.0.center(), to.0.center());
            harness.event(egui::Event::PointerMoved(a));
            harness.event(egui::Event::PointerButton {
                pos: a,
                button: egui::PointerButton::Primary,
                pressed: true,
                modifiers: Modifiers::NONE,
            });
            harness.step();
            harness.event(egui::Event::PointerMoved(egui::pos2((a.x + b.x) / 2.0, (a.y + b.y) / 2.0)));
            harness.step();
            harness.event(egui::Event::PointerMoved(b));
            harness.event(egui::Event::PointerButton {
                pos: b,
                button: egui::PointerButton::Primary,
                pressed: false,
                modifiers: Modifiers::NONE,
            });
            ("drag", format!("{:?} -> {:?}", from.2, to.2))
        }
        _ => {
            // Let background work land (sends, reads, writes).
            std::thread::sleep(std::time::Duration::from_millis(rng.u64(1..20)));
            ("wait", String::new())
        }
    }
}

/// Runs `actions` random actions from `seed` on a fresh data folder. A panic is recorded with
/// the action before it, and the window is opened again on the same folder (as a user would
/// restart it); `stop_at_first` ends the run there instead.
pub fn run(seed: u64, actions: usize, stop_at_first: bool) -> Report {
    let server = server();
    let dir = tempfile::tempdir().unwrap();
    data_folder(dir.path(), &server);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut report = Report::default();
    let mut harness = open(dir.path());
    // Each panic's message and place, kept for the report instead of printed.
    let last_panic = Arc::new(std::sync::Mutex::new(String::new()));
    let slot = Arc::clone(&last_panic);
    let previous = std::panic::take_hook();
    let backtraces = std::env::var_os("LOCALPOST_FUZZ_BACKTRACE").is_some();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut s) = slot.lock() {
            *s = info.to_string();
            if backtraces {
                s.push_str(&format!("\n{}", std::backtrace::Backtrace::force_capture()));
            }
        }
    }));
    let mut last = String::new();
    for i in 0..actions {
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let done = act(&mut harness, &mut rng);
            harness.step();
            done
        }));
        report.actions += 1;
        match outcome {
            Ok((kind, what)) => {
                *report.by_kind.entry(kind).or_default() += 1;
                last = format!("after {kind} {what}");
            }
            Err(_) => {
                let message = last_panic.lock().map(|s| s.clone()).unwrap_or_default();
                report.panics.push(format!("seed {seed}, action {i} ({last}): {message}"));
                if stop_at_first {
                    break;
                }
                harness = open(dir.path());
            }
        }
    }
    std::panic::set_hook(previous);
    report
}
