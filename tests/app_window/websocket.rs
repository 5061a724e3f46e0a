//! WebSocket requests in the window, against an echo server on 127.0.0.1 the tests start
//! (tokio-tungstenite): create one in a collection, connect, send text (with a variable), JSON
//! and binary, see the echoes in the log, filter and search it, save a message and send it again,
//! disconnect and see the close, find the session in history and the request's file on disk;
//! import Insomnia's WebSocket requests; carry one through the backup bundle.

use std::sync::{Arc, Mutex};

use egui_kittest::kittest::Queryable;
use futures_util::{SinkExt as _, StreamExt as _};
use localpost::app::command::Command;
use localpost::app::state::TabId;
use localpost::app::ws::log::EntryKind;
use localpost::app::ws::{ConnStatus, WsCommand, WsTab};
use localpost::model::*;
use localpost::shell::Window;
use tokio_tungstenite::tungstenite::Message;

use crate::support::app::{all_text_under, apply, open, settle, shown, step_until, type_into, type_url};
use crate::support::data::populate;

/// An echo server: every text and binary message comes back; what it got is logged.
struct Echo {
    port: u16,
    got: Arc<Mutex<Vec<String>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Echo {
    fn start() -> Self {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let port = listener.local_addr().unwrap().port();
        let got: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = Arc::clone(&got);
        runtime.spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else { return };
                    while let Some(Ok(msg)) = ws.next().await {
                        let entry = match &msg {
                            Message::Text(t) => format!("text {t}"),
                            Message::Binary(b) => format!("binary {:?}", b.to_vec()),
                            Message::Close(f) => {
                                format!("close {}", f.as_ref().map_or(0, |f| u16::from(f.code)))
                            }
                            _ => continue,
                        };
                        log.lock().unwrap().push(entry);
                        if matches!(msg, Message::Text(_) | Message::Binary(_)) && ws.send(msg).await.is_err()
                        {
                            break;
                        }
                    }
                });
            }
        });
        Self { port, got, _runtime: runtime }
    }

    fn url(&self) -> String {
        format!("ws://127.0.0.1:{}/echo", self.port)
    }

    fn got(&self) -> Vec<String> {
        self.got.lock().unwrap().clone()
    }
}

fn active_tab(app: &Window) -> TabId {
    app.state.active_tab.unwrap()
}

fn live(app: &Window) -> &WsTab {
    let r = app.state.active().and_then(|t| t.request()).expect("a request tab is active");
    r.websocket.as_deref().expect("the WebSocket tab was drawn")
}

fn received(app: &Window) -> usize {
    live(app).log.received
}

/// The log as text, for failure messages.
fn log_text(app: &Window) -> String {
    let log = &live(app).log;
    let rows: Vec<String> =
        (0..log.len()).filter_map(|i| log.peek(i)).map(|e| format!("{:?} {}", e.kind, e.text)).collect();
    format!("{:?}\n{}", live(app).status, rows.join("\n"))
}

fn draft(app: &Window) -> &Request {
    &app.state.active().and_then(|t| t.request()).unwrap().draft
}

/// Types `text` into the composer and clicks Send, then waits for its echo.
fn send_and_see_echo(harness: &mut egui_kittest::Harness<'_, Window>, text: &str) {
    let before = received(harness.state());
    type_into(harness, "Message to send", text);
    harness.get_by_label("Send").click();
    harness.run_steps(2);
    step_until(harness, "the echo", |app| received(app) > before);
}

#[test]
fn a_websocket_request_connects_sends_filters_saves_and_closes() {
    let server = Echo::start();
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    // The collection's auth sends the environment's secret token: the upgrade inherits it.
    apply(&mut harness, Command::SelectEnvironment(Some(fx.local_env)));
    apply(&mut harness, Command::WebSocket(WsCommand::New(Some(ParentId::Collection(fx.users)))));
    assert!(draft(harness.state()).is_websocket());
    assert!(shown(&harness, "Not connected"));
    assert!(!shown(&harness, "Body"), "a WebSocket request has no body section");

    type_url(&mut harness, &server.url());
    harness.get_by_label("Connect").click();
    harness.run_steps(2);
    step_until(&mut harness, "the connection to open", |app| {
        matches!(live(app).status, ConnStatus::Open { .. } | ConnStatus::Failed(_))
    });
    assert!(matches!(live(harness.state()).status, ConnStatus::Open { .. }), "{}", log_text(harness.state()));
    assert!(shown(&harness, "Connected for"), "the state shows in the URL bar");
    assert!(shown(&harness, "Disconnect"));

    // Text, with a collection variable resolved as a send resolves it.
    send_and_see_echo(&mut harness, "hello {{version}}");
    assert!(server.got().contains(&"text hello v2".to_owned()), "{:?}", server.got());
    assert!(shown(&harness, "Received: hello v2"), "the echo is a row of the log");
    assert!(shown(&harness, "Sent: hello v2"));

    // JSON: refused with its position when it does not parse, sent when it does.
    harness.get_by_label("JSON").click();
    harness.run_steps(1);
    type_into(&mut harness, "Message to send", "{\"a\": }");
    harness.get_by_label("Send").click();
    harness.run_steps(2);
    assert!(shown(&harness, "Not valid JSON at line 1"), "the error says where");
    send_and_see_echo(&mut harness, "{\"greeting\": \"hi\", \"n\": [1, 2]}");
    assert!(server.got().iter().any(|g| g.contains("\"greeting\"")));

    // Binary, written in hex.
    harness.get_by_label("Binary").click();
    harness.run_steps(1);
    send_and_see_echo(&mut harness, "01 02 ff");
    assert!(server.got().contains(&"binary [1, 2, 255]".to_owned()), "{:?}", server.got());
    assert!(shown(&harness, "Received: [binary] 01 02 ff"));

    // Filter by direction, then search.
    harness.get_by_label("Sent").click();
    harness.run_steps(2);
    assert!(!shown(&harness, "Received: hello v2"), "received rows are hidden");
    assert!(shown(&harness, "Sent: hello v2"));
    assert_eq!(live(harness.state()).log.row_count(), 3);
    harness.get_by_label("All").click();
    type_into(&mut harness, "Search messages", "GREETING");
    assert_eq!(live(harness.state()).log.row_count(), 2, "sent and received, case ignored");
    assert!(!shown(&harness, "Received: hello v2"));
    harness.get_by_label("Search messages").focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.key_press(egui::Key::Backspace);
    harness.run_steps(2);
    assert_eq!(live(harness.state()).log.row_count(), live(harness.state()).log.len(), "the search cleared");
    assert!(shown(&harness, "Received: hello v2"));

    // The selected row shows in full, JSON pretty-printed.
    harness.get_by_label("Received: {\"greeting\": \"hi\", \"n\": [1, 2]}").click();
    harness.run_steps(2);
    let detail = live(harness.state()).detail.clone().map(|(_, text)| text).unwrap_or_default();
    assert!(detail.contains("\"greeting\": \"hi\",\n"), "{detail}");
    assert!(shown(&harness, "Received text"), "the detail says what the row is");

    // Save a message, then send it again with one click.
    harness.get_by_label("Text").click();
    type_into(&mut harness, "Message to send", "ping {{version}}");
    type_into(&mut harness, "Message name", "Ping it");
    harness.get_by_label("Save message").click();
    harness.run_steps(2);
    let saved = draft(harness.state()).websocket.messages.clone();
    assert_eq!(saved.len(), 1);
    assert_eq!((saved[0].name.as_str(), saved[0].body.as_str()), ("Ping it", "ping {{version}}"));
    let before = received(harness.state());
    harness.get_by_label("▶").click();
    harness.run_steps(2);
    step_until(&mut harness, "the saved message's echo", |app| received(app) > before);
    assert!(server.got().contains(&"text ping v2".to_owned()));

    // Settings, then save the request: its file holds them with the saved message.
    harness.get_by_label("Settings").click();
    harness.run_steps(2);
    type_into(&mut harness, "Subprotocols offered", "chat.v1, chat.v2");
    assert_eq!(draft(harness.state()).websocket.subprotocols, ["chat.v1", "chat.v2"]);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    settle(&mut harness);
    let files = all_text_under(dir.path());
    assert!(files.contains("kind: WebSocket"), "the request is stored as a WebSocket request");
    assert!(files.contains("name: \"Ping it\""), "with its saved message");
    assert!(files.contains("\"chat.v2\""), "and its settings");

    // Disconnect: the close shows, and the session is one history entry.
    harness.get_by_label("Disconnect").click();
    harness.run_steps(2);
    step_until(&mut harness, "the close", |app| matches!(live(app).status, ConnStatus::Closed { .. }));
    assert!(shown(&harness, "Closed 1000"), "the state says how it closed");
    assert!(live(harness.state()).log.len() > 8);
    assert!(server.got().contains(&"close 1000".to_owned()), "{:?}", server.got());
    step_until(&mut harness, "the session in history", |app| {
        app.state.history.iter().any(|h| h.request.url.starts_with("ws://127.0.0.1"))
    });
    let entry = harness.state().state.history.iter().find(|h| h.request.url.starts_with("ws://")).unwrap();
    let response = entry.response.as_ref().expect("the session opened");
    assert_eq!(response.status, 101);
    assert!(response.reason.contains("4 sent"), "{}", response.reason);
    assert!(
        entry.written.as_ref().is_some_and(|w| w.is_websocket()),
        "reopening it opens a WebSocket request"
    );
    let recorded = format!("{entry:?}");
    assert!(!recorded.contains("env-secret-token"), "history is redacted as HTTP history is: {recorded}");
    let _ = active_tab(harness.state());
}

#[test]
fn connecting_to_nothing_says_so_and_sending_first_asks_to_connect() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    apply(&mut harness, Command::Action(localpost::app::command::Action::NewWebSocketRequest));
    let tab = active_tab(harness.state());
    apply(&mut harness, Command::WebSocket(WsCommand::Connect(tab)));
    assert!(shown(&harness, "Enter a ws:// or wss:// URL"), "an empty URL is refused with a message");
    apply(&mut harness, Command::WebSocket(WsCommand::Send(tab)));
    assert!(shown(&harness, "Not connected"));

    // A port nobody listens on: the failure is shown, nothing hangs.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    type_url(&mut harness, &format!("ws://127.0.0.1:{port}/"));
    harness.get_by_label("Connect").click();
    harness.run_steps(2);
    step_until(&mut harness, "the failure", |app| matches!(live(app).status, ConnStatus::Failed(_)));
    assert!(shown(&harness, "Failed:"));
    assert!(live(harness.state()).log.len() >= 2, "the attempt and the error are in the log");
    let kinds: Vec<EntryKind> = (0..live(harness.state()).log.len())
        .filter_map(|i| live(harness.state()).log.peek(i).map(|e| e.kind))
        .collect();
    assert!(kinds.iter().all(|k| matches!(k, EntryKind::Event(_))), "{kinds:?}");
}

#[test]
fn a_param_typed_in_the_params_section_goes_into_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let fx = populate(dir.path());
    let mut harness = open(dir.path());
    apply(&mut harness, Command::SwitchWorkspace(fx.team));
    apply(&mut harness, Command::Action(localpost::app::command::Action::NewWebSocketRequest));
    type_url(&mut harness, "ws://127.0.0.1:9/chat");
    harness.get_by_label("Params").click();
    harness.run_steps(2);
    type_into(&mut harness, "New param key", "room");
    assert_eq!(draft(harness.state()).url, "ws://127.0.0.1:9/chat?room");
    assert!(shown(&harness, "Params (1)"), "the section counts it");
    let tab = harness.state().state.active().and_then(|t| t.request()).unwrap();
    assert!(tab.dirty, "the tab has unsaved changes");
}

#[test]
fn insomnia_websocket_requests_are_imported_with_their_payloads() {
    let path = crate::support::corpus().join("insomnia/insomnia-smoke-mixed-resource-types-v4.insomnia.yaml");
    let bytes = std::fs::read(path).unwrap();
    let imported = localpost::interop::import(&bytes, "simple.yaml").unwrap();
    let data = &imported.workspaces[0];
    let ws: Vec<&Request> = data.requests.values().filter(|r| r.is_websocket()).collect();
    assert_eq!(ws.len(), 1);
    assert_eq!((ws[0].name.as_str(), ws[0].url.as_str()), ("example websocket", "ws://localhost:4010"));
    let messages: Vec<(&str, MessageFormat, &str)> =
        ws[0].websocket.messages.iter().map(|m| (m.name.as_str(), m.format, m.body.as_str())).collect();
    assert_eq!(messages, [("New Payload", MessageFormat::Text, "test")]);
    let warnings: Vec<&str> = imported.report.warnings.iter().map(|w| w.message.as_str()).collect();
    assert!(!warnings.iter().any(|w| w.contains("WebSocket")), "{warnings:?}");

    let path = crate::support::corpus().join("insomnia/yaak-insomnia-v5-basic-multipart.insomnia.yaml");
    let imported = localpost::interop::import(&std::fs::read(path).unwrap(), "v5.yaml").unwrap();
    let data = &imported.workspaces[0];
    let ws = data.requests.values().find(|r| r.is_websocket()).expect("the v5 WebSocket request");
    assert_eq!(ws.url, "wss://echo.websocket.org");
    assert!(matches!(ws.auth, Auth::Basic { .. }), "{:?}", ws.auth);
    assert!(ws.headers.iter().any(|h| h.key == "User-Agent"));

    // And in the window: the imported request opens as a WebSocket tab.
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    let file = crate::support::corpus().join("insomnia/insomnia-smoke-mixed-resource-types-v4.insomnia.yaml");
    apply(&mut harness, Command::Action(localpost::app::command::Action::Import));
    type_into(&mut harness, "Import file", &file.display().to_string());
    harness.get_by_label("Preview").click();
    harness.run_steps(1);
    step_until(&mut harness, "the preview", |app| {
        matches!(&app.state.modal, Some(localpost::app::state::Modal::Import(d))
            if matches!(d.stage, localpost::app::interop::ImportStage::Preview(_)))
    });
    harness.get_by_label("Import").click();
    harness.run_steps(1);
    step_until(&mut harness, "the import", |app| {
        app.state.library.workspaces.values().any(|w| w.requests.values().any(Request::is_websocket))
    });
    let (ws_id, id) = harness
        .state()
        .state
        .library
        .workspaces
        .values()
        .find_map(|w| w.requests.values().find(|r| r.is_websocket()).map(|r| (w.id(), r.id)))
        .unwrap();
    apply(&mut harness, Command::SwitchWorkspace(ws_id));
    apply(&mut harness, Command::OpenRequest(id));
    assert!(shown(&harness, "Message (1)"), "its saved message is there");
    assert!(shown(&harness, "New Payload"));
    assert!(shown(&harness, "WS"), "the tree and the tab show a WS badge");
}

#[test]
fn the_bundle_carries_websocket_requests_and_other_formats_say_they_leave_them_out() {
    use localpost::interop::bundle::{self, ExportOptions, Scope, Secrets};
    let src = tempfile::tempdir().unwrap();
    let fx = populate(src.path());
    let mut opened = localpost::storage::Store::open_existing(src.path()).unwrap();
    let mut request = Request::websocket("Live prices");
    request.url = "wss://{{host}}/prices".into();
    request.websocket.subprotocols = vec!["prices.v1".into()];
    request.websocket.ping_interval_s = 20;
    request.websocket.reconnect = ReconnectSettings { enabled: true, delay_ms: 500, max_attempts: 3 };
    request.websocket.messages = vec![
        SavedMessage::new("Subscribe", MessageFormat::Json, r#"{"subscribe": "EURUSD"}"#),
        SavedMessage::new("Raw", MessageFormat::Binary, localpost::app::ws::base64_of(&[0, 1, 254])),
    ];
    let parent = ParentId::Collection(fx.users);
    let edit = opened.library.workspaces.get_mut(&fx.team).unwrap().add_request(parent, request.clone());
    for write in edit.writes {
        match write {
            TreeWrite::Request { parent, request } => opened.store.save_request(parent, &request).unwrap(),
            TreeWrite::Collection { ws, collection } => {
                opened.store.save_collection(ws, &collection).unwrap();
            }
            TreeWrite::Folder { parent, folder } => opened.store.save_folder(parent, &folder).unwrap(),
            other => panic!("unexpected write {other:?}"),
        }
    }
    // It loads back from its file as written.
    let reopened = localpost::storage::Store::open_existing(src.path()).unwrap();
    assert_eq!(reopened.library.workspaces[&fx.team].requests[&request.id], request);

    let options = ExportOptions { secrets: Secrets::Include, include_history: false, include_runs: false };
    let records = reopened
        .store
        .records(bundle::workspaces_of(&reopened.library, &Scope::Everything), options.records());
    let text = bundle::export(&records, &reopened.library, &Scope::Everything, options).unwrap().text;
    let imported = localpost::interop::import(text.as_bytes(), "backup.ron").unwrap();
    let back = imported.workspaces.iter().find_map(|w| w.requests.get(&request.id)).expect("in the bundle");
    assert_eq!(*back, request, "every WebSocket field survives the bundle");

    // Postman v2.1 and cURL cannot hold one: it is left out by name, never sent as a GET.
    let data = &reopened.library.workspaces[&fx.team];
    let postman =
        localpost::interop::export::postman::collection_v21(data, parent, Default::default()).unwrap();
    assert!(!postman.text.contains("Live prices"));
    assert!(
        postman
            .report
            .warnings
            .iter()
            .any(|w| w.location.ends_with("Live prices") && w.message.contains("WebSocket"))
    );
    let curl = localpost::interop::export::curl::request_to_curl(Some(data), &request);
    assert!(curl.text.is_empty());
    assert!(curl.report.warnings.iter().any(|w| w.location == "Live prices"));
}
