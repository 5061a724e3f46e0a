//! WebSocket tabs: connecting a WebSocket request through the engine, the composer, the saved
//! messages and the live log.
//!
//! A WebSocket request is a [`Request`] of kind WebSocket, opened in a request tab like any
//! other; its tab carries a [`WsTab`] with what only lives while the window does (the
//! connection, the log). Connecting prepares the request as a send does (variables, query,
//! headers, auth, the containers it inherits from) and hands it to
//! [`crate::http::Engine::connect_ws`], which applies the policy, TLS, proxy and cookies. Each
//! frame drains at most [`EVENTS_PER_FRAME`] events from the connection, so a flood never
//! freezes the window (the engine stops reading the socket while its queue is full). When a
//! session ends (closed, failed, or its tab closed) one history entry records it, redacted as
//! HTTP history is, and the cookies it set are saved.

pub mod composer;
pub mod log;
mod session;
mod spill;

use std::sync::Arc;
use std::time::Instant;

use base64::Engine as _;
use time::OffsetDateTime;

use self::composer::{BinaryInput, Composer, Outgoing, hex_preview};
use self::log::{DataKind, DirectionFilter, EntryKind, EventKind, LiveLog, LogEntry, LogFilter};
pub use self::session::prepare_upgrade;
use self::session::session_history_entry;
use super::state::{Tab, TabId};
use super::writer::WriteJob;
use crate::http::PreparedRequest;
use crate::http::ws::{
    Direction, Reconnect, WsData, WsEvent, WsHandle, WsOptions, WsOutgoing, WsState, WsTally,
};
use crate::model::*;

/// How long connecting waits for the workspace's cookie jar to be read before going without it.
const COOKIE_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Events taken from a connection per frame at most.
pub const EVENTS_PER_FRAME: usize = 2_000;

/// Where a tab's connection is, as its URL bar shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ConnStatus {
    #[default]
    Idle,
    Connecting,
    Open {
        since: Instant,
        protocol: Option<String>,
    },
    Reconnecting {
        attempt: u32,
        max: u32,
    },
    Closed {
        code: Option<u16>,
        reason: String,
    },
    Failed(String),
}

impl ConnStatus {
    pub fn is_live(&self) -> bool {
        matches!(self, ConnStatus::Connecting | ConnStatus::Open { .. } | ConnStatus::Reconnecting { .. })
    }

    /// "Connected for 1:23", "Reconnecting (2/5)", "Closed 1000 "bye""…
    pub fn label(&self) -> String {
        match self {
            ConnStatus::Idle => "Not connected".into(),
            ConnStatus::Connecting => "Connecting…".into(),
            ConnStatus::Open { since, protocol } => {
                let secs = since.elapsed().as_secs();
                let time = if secs >= 3600 {
                    format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
                } else {
                    format!("{}:{:02}", secs / 60, secs % 60)
                };
                match protocol {
                    Some(p) => format!("Connected for {time} ({p})"),
                    None => format!("Connected for {time}"),
                }
            }
            ConnStatus::Reconnecting { attempt, max } => format!("Reconnecting ({attempt}/{max})"),
            ConnStatus::Closed { code, reason } => match (code, reason.is_empty()) {
                (Some(code), true) => format!("Closed {code}"),
                (Some(code), false) => format!("Closed {code} \"{reason}\""),
                (None, _) => "Closed".into(),
            },
            ConnStatus::Failed(message) => format!("Failed: {message}"),
        }
    }
}

/// The editor sections of a WebSocket tab.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WsSection {
    #[default]
    Message,
    Params,
    Headers,
    Auth,
    Settings,
    Docs,
}

/// What a live session keeps for its history entry.
struct SessionRecord {
    prepared: PreparedRequest,
    tally: WsTally,
    workspace: WorkspaceId,
    cookies_set: bool,
}

/// The transient part of a WebSocket tab.
#[derive(Default)]
pub struct WsTab {
    pub section: WsSection,
    pub composer: Composer,
    pub log: LiveLog,
    pub status: ConnStatus,
    /// The search box and direction filter as typed (applied to the log each frame).
    pub search: String,
    pub direction: DirectionFilter,
    /// Auto-scroll to the newest message is paused.
    pub paused: bool,
    /// The log entry shown in full below the log.
    pub selected: Option<usize>,
    /// The selected entry's text, pretty-printed when it is JSON.
    pub detail: Option<(usize, String)>,
    /// A saved message being renamed, with the name typed so far.
    pub renaming: Option<(MessageId, String)>,
    /// The subprotocols field as typed (comma-separated).
    pub subprotocols_text: Option<String>,
    handle: Option<WsHandle>,
    /// The connection being opened once the workspace's cookie jar is read (off this thread).
    pending: Option<std::sync::mpsc::Receiver<WsHandle>>,
    session: Option<SessionRecord>,
    last_error: Option<String>,
    /// The user asked to disconnect: the close that follows is not a failure.
    closing: bool,
}

impl std::fmt::Debug for WsTab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsTab").field("status", &self.status).field("log", &self.log).finish_non_exhaustive()
    }
}

impl WsTab {
    /// Applies the typed search and direction filter to the log.
    pub fn apply_filter(&mut self) {
        self.log.set_filter(LogFilter::new(self.direction, &self.search));
    }

    /// Whether a connection is open or being opened.
    pub fn connected(&self) -> bool {
        (self.handle.is_some() || self.pending.is_some()) && self.status.is_live()
    }

    /// Whether messages can be sent now.
    pub fn handle_open(&self) -> bool {
        self.handle.as_ref().is_some_and(|h| h.state() == WsState::Open)
    }

    /// Takes the connection once its opening thread hands it over.
    fn adopt_pending(&mut self) {
        let Some(rx) = &self.pending else { return };
        match rx.try_recv() {
            Ok(handle) => {
                if self.closing {
                    handle.close(1000, "");
                }
                self.handle = Some(handle);
                self.pending = None;
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.pending = None;
                self.status = ConnStatus::Failed("the connection could not be started".into());
                self.session = None;
            }
        }
    }

    /// Takes up to `max` events from the connection into the log and the status; returns
    /// whether more are waiting. Public for the benchmark and tests that feed a log.
    pub fn take_events(&mut self, max: usize, reconnect_attempts: u32) -> bool {
        let Some(handle) = &self.handle else { return false };
        let events = handle.drain(max);
        let more = events.len() == max;
        for event in events {
            if let Some(s) = &mut self.session {
                s.tally.observe(&event);
                s.cookies_set |= event.sets_cookies();
            }
            self.observe(event, reconnect_attempts);
        }
        more
    }

    fn observe(&mut self, event: WsEvent, reconnect_attempts: u32) {
        let entry = match event {
            WsEvent::Connecting { url, attempt, at } => {
                self.status = if attempt == 0 {
                    ConnStatus::Connecting
                } else {
                    ConnStatus::Reconnecting { attempt, max: reconnect_attempts }
                };
                let what = if attempt == 0 {
                    "Connecting to".to_owned()
                } else {
                    format!("Reconnecting ({attempt}) to")
                };
                LogEntry::event(EventKind::Connecting, format!("{what} {url}"), at)
            }
            WsEvent::Opened { status, protocol, handshake, at, .. } => {
                let text = match &protocol {
                    Some(p) => {
                        format!("Connected ({status}, subprotocol {p}) in {} ms", handshake.as_millis())
                    }
                    None => format!("Connected ({status}) in {} ms", handshake.as_millis()),
                };
                self.status = ConnStatus::Open { since: Instant::now(), protocol };
                self.last_error = None;
                LogEntry::event(EventKind::Connected, text, at)
            }
            WsEvent::Message { direction, data, size, at } => message_entry(direction, &data, size, at),
            WsEvent::Closed { code, reason, by_server, at } => {
                let who = if by_server { "by the server" } else { "by Localpost" };
                let text = match code {
                    Some(c) if reason.is_empty() => format!("Closed {who}: {c} ({})", close_meaning(c)),
                    Some(c) => format!("Closed {who}: {c} \"{reason}\""),
                    None => format!("Closed {who} without a close frame"),
                };
                self.status = ConnStatus::Closed { code, reason };
                LogEntry::event(EventKind::Closed, text, at)
            }
            WsEvent::Error { message, at } => {
                self.last_error = Some(message.clone());
                LogEntry::event(EventKind::Error, message, at)
            }
        };
        self.log.push(entry);
    }

    /// After draining: a connection that has ended leaves its handle and its session.
    fn ended(&mut self) -> Option<SessionRecord> {
        let handle = self.handle.as_ref()?;
        if handle.state() != WsState::Closed || handle.buffered() > 0 {
            return None;
        }
        self.handle = None;
        if !matches!(self.status, ConnStatus::Closed { .. }) || (self.last_error.is_some() && !self.closing) {
            if let Some(error) = self.last_error.take() {
                self.status = ConnStatus::Failed(error);
            } else if self.status.is_live() {
                self.status = ConnStatus::Closed { code: None, reason: String::new() };
            }
        }
        self.closing = false;
        self.session.take()
    }

    /// Drops the connection (closing it, 1001) and returns its session for history.
    fn abandon(&mut self) -> Option<SessionRecord> {
        if let Some(handle) = self.handle.take() {
            handle.close(1001, "tab closed");
        }
        // A connection still being opened is closed as it arrives (its handle is dropped).
        self.pending = None;
        self.session.take()
    }
}

/// What a close code means, for codes sent without a reason.
pub fn close_meaning(code: u16) -> &'static str {
    match code {
        1000 => "normal closure",
        1001 => "going away",
        1002 => "protocol error",
        1003 => "unsupported data",
        1005 => "no status",
        1006 => "abnormal closure",
        1007 => "invalid payload data",
        1008 => "policy violation",
        1009 => "message too big",
        1010 => "mandatory extension",
        1011 => "internal error",
        1012 => "service restart",
        1013 => "try again later",
        1015 => "TLS handshake",
        3000..=3999 => "registered code",
        4000..=4999 => "application code",
        _ => "unknown code",
    }
}

fn message_entry(direction: Direction, data: &WsData, size: usize, at: OffsetDateTime) -> LogEntry {
    let kind = match direction {
        Direction::Sent => EntryKind::Sent,
        Direction::Received => EntryKind::Received,
    };
    let (data, text) = match data {
        WsData::Text(text) => (DataKind::Text, text.clone()),
        WsData::Binary(bytes) => (DataKind::Binary, hex_preview(bytes, log::BINARY_SHOWN_BYTES)),
        WsData::Ping(bytes) => (DataKind::Ping, format!("Ping {}", hex_preview(bytes, 64))),
        WsData::Pong(bytes) => (DataKind::Pong, format!("Pong {}", hex_preview(bytes, 64))),
    };
    LogEntry { at, kind, data, size_bytes: size, text }
}

/// What the user asked of a WebSocket tab.
#[derive(Clone, Debug)]
pub enum WsCommand {
    /// A new WebSocket request in a collection or folder (or unsaved, with `None`).
    New(Option<ParentId>),
    Connect(TabId),
    Disconnect(TabId),
    /// Sends the composer's message.
    Send(TabId),
    SendSaved(TabId, MessageId),
    /// Saves the composer as a named message of the request.
    SaveMessage(TabId),
    /// Puts a saved message in the composer.
    LoadMessage(TabId, MessageId),
    RenameMessage(TabId, MessageId, String),
    DeleteMessage(TabId, MessageId),
    Pretty(TabId),
    ClearLog(TabId),
}

impl super::App {
    pub(super) fn ws_command(&mut self, ctx: &egui::Context, command: WsCommand) {
        match command {
            WsCommand::New(parent) => self.new_websocket_request(parent),
            WsCommand::Connect(tab) => self.ws_connect(ctx, tab),
            WsCommand::Disconnect(tab) => {
                if let Some(live) = self.ws_tab(tab) {
                    live.closing = true;
                    if let Some(handle) = &live.handle {
                        handle.close(1000, "");
                    }
                }
                ctx.request_repaint();
            }
            WsCommand::Send(tab) => self.ws_send_composer(tab),
            WsCommand::SendSaved(tab, id) => {
                let message = self.ws_saved(tab, id);
                if let Some(m) = message {
                    self.ws_send_text(tab, m.format, BinaryInput::Base64, &m.body);
                }
            }
            WsCommand::SaveMessage(tab) => self.ws_save_message(tab),
            WsCommand::LoadMessage(tab, id) => {
                if let Some(m) = self.ws_saved(tab, id)
                    && let Some(live) = self.ws_tab(tab)
                {
                    live.composer.load(&m);
                }
            }
            WsCommand::RenameMessage(tab, id, name) => self.ws_edit_messages(tab, |messages| {
                if let Some(m) = messages.iter_mut().find(|m| m.id == id)
                    && !name.trim().is_empty()
                {
                    m.name = name.trim().to_owned();
                }
            }),
            WsCommand::DeleteMessage(tab, id) => {
                self.ws_edit_messages(tab, |messages| messages.retain(|m| m.id != id));
            }
            WsCommand::Pretty(tab) => {
                if let Some(live) = self.ws_tab(tab) {
                    live.composer.pretty();
                }
            }
            WsCommand::ClearLog(tab) => {
                if let Some(live) = self.ws_tab(tab) {
                    live.log.clear();
                    live.selected = None;
                    live.detail = None;
                    live.apply_filter();
                }
            }
        }
    }

    /// Send (Ctrl+Enter) in a WebSocket tab: sends the composer's message when connected,
    /// connects otherwise.
    pub(super) fn ws_send_or_connect(&mut self, ctx: &egui::Context, tab: TabId) {
        if self.ws_tab(tab).is_some_and(|l| l.connected()) {
            self.ws_send_composer(tab);
        } else {
            self.ws_connect(ctx, tab);
        }
    }

    fn new_websocket_request(&mut self, parent: Option<ParentId>) {
        let Some(ws) = self.state.workspace else { return };
        let mut request = Request::websocket("New WebSocket");
        request.url = "ws://".into();
        match parent {
            Some(parent) => {
                let id = request.id;
                self.edit_tree(ws, |data| Some(data.add_request(parent, request)));
                self.state.sidebar.expanded.insert(parent);
                self.open_request(id);
            }
            None => {
                let tab = super::state::RequestTab::unnamed(request);
                self.open_tab(ws, super::state::TabKind::Request(Box::new(tab)));
            }
        }
        self.state.focus_url = true;
    }

    /// The live part of tab `tab`, created on first use.
    pub(super) fn ws_tab(&mut self, tab: TabId) -> Option<&mut WsTab> {
        let r = self.state.tab_mut(tab).and_then(Tab::request_mut)?;
        r.draft.is_websocket().then(|| &mut **r.websocket.get_or_insert_with(Box::default))
    }

    fn ws_saved(&self, tab: TabId, id: MessageId) -> Option<SavedMessage> {
        let r = self.state.tab(tab).and_then(Tab::request)?;
        r.draft.websocket.messages.iter().find(|m| m.id == id).cloned()
    }

    fn ws_edit_messages(&mut self, tab: TabId, edit: impl FnOnce(&mut Vec<SavedMessage>)) {
        if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
            edit(&mut r.draft.websocket.messages);
            self.keep_tab(tab);
            self.state.refresh_dirty(tab);
        }
    }

    fn ws_save_message(&mut self, tab: TabId) {
        let Some(live) = self.ws_tab(tab) else { return };
        let name = std::mem::take(&mut live.composer.save_name);
        match live.composer.to_saved(&name) {
            Ok(message) => {
                live.composer.error = None;
                self.ws_edit_messages(tab, |messages| messages.push(message));
            }
            Err(e) => {
                live.composer.save_name = name;
                live.composer.error = Some(e);
            }
        }
    }

    fn ws_send_composer(&mut self, tab: TabId) {
        let Some(live) = self.ws_tab(tab) else { return };
        let (format, input, text) =
            (live.composer.format, live.composer.binary_input, live.composer.text.clone());
        self.ws_send_text(tab, format, input, &text);
    }

    /// Resolves `{{variables}}` in `text` as a send does, checks it, and sends it.
    fn ws_send_text(&mut self, tab: TabId, format: MessageFormat, input: BinaryInput, text: &str) {
        let resolved = self.ws_resolve(tab, text);
        let Some(live) = self.ws_tab(tab) else { return };
        let text = match resolved {
            Ok(text) => text,
            Err(e) => {
                live.composer.error = Some(e);
                return;
            }
        };
        let outgoing = match Composer::encode(format, input, &text) {
            Ok(Outgoing::Text(t)) => WsOutgoing::Text(t),
            Ok(Outgoing::Binary(b)) => WsOutgoing::Binary(b),
            Err(e) => {
                live.composer.error = Some(e);
                return;
            }
        };
        let Some(handle) = &live.handle else {
            live.composer.error = Some("Not connected: connect first, then send.".into());
            return;
        };
        live.composer.error = handle.send(outgoing).err().map(|e| e.to_string());
    }

    /// `text` with the tab's variables resolved; a missing one is an error unless the settings
    /// send unresolved variables as written.
    fn ws_resolve(&self, tab: TabId, text: &str) -> Result<String, String> {
        if !text.contains("{{") {
            return Ok(text.to_owned());
        }
        let t = self.state.tab(tab).ok_or("the tab was closed")?;
        let r = t.request().ok_or("not a request tab")?;
        let ws = self.state.library.workspaces.get(&t.workspace).ok_or("the workspace is gone")?;
        let environment = self.state.active_environment.get(&t.workspace).copied();
        let saved = ws.requests.contains_key(&r.draft.id);
        let scopes = super::send::request_scopes(ws, environment, &r.draft, saved, r.parent);
        let resolved = scopes.resolve(text);
        if !resolved.cycles.is_empty() {
            let cycle = resolved.cycles.first().map(|c| c.join(" › ")).unwrap_or_default();
            return Err(format!("Not sent: the variables refer to each other ({cycle})"));
        }
        if !resolved.missing.is_empty() && !self.state.effective_settings().send_unresolved_variables {
            return Err(format!("Not sent: no variable named {}", resolved.missing.join(", ")));
        }
        Ok(resolved.text)
    }

    fn ws_connect(&mut self, ctx: &egui::Context, tab: TabId) {
        let prepared = self.ws_prepare(tab);
        let engine = self.engine().map_err(|e| format!("The engine could not start: {e}"));
        let Some(t) = self.state.tab(tab) else { return };
        let workspace = t.workspace;
        let Some(r) = t.request() else { return };
        let settings = r.draft.websocket.clone();
        let (prepared, engine) = match (prepared, engine) {
            (Ok(p), Ok(e)) => (p, e),
            (Err(e), _) | (_, Err(e)) => {
                if let Some(live) = self.ws_tab(tab) {
                    live.status = ConnStatus::Failed(e.clone());
                    live.log.push(LogEntry::event(EventKind::Error, e, OffsetDateTime::now_utc()));
                }
                return;
            }
        };
        let latch = self.cookie_latch(&engine, workspace);
        let repaint_ctx = ctx.clone();
        let on_event: Arc<dyn Fn() + Send + Sync> = Arc::new(move || repaint_ctx.request_repaint());
        let options = WsOptions {
            subprotocols: settings.subprotocols.iter().filter(|p| !p.trim().is_empty()).cloned().collect(),
            ping_interval: (settings.ping_interval_s > 0)
                .then(|| std::time::Duration::from_secs(settings.ping_interval_s)),
            reconnect: settings.reconnect.enabled.then(|| Reconnect {
                delay: std::time::Duration::from_millis(settings.reconnect.delay_ms),
                max_attempts: settings.reconnect.max_attempts,
            }),
            max_message_bytes: usize::try_from(settings.max_message_bytes).unwrap_or(usize::MAX).max(1),
            on_event: Some(on_event.clone()),
        };
        // The cookie jar is read on the writer thread; the connection waits for it off this one.
        let (hand_over, pending) = std::sync::mpsc::channel();
        let (upgrade, wake) = (prepared.clone(), ctx.clone());
        let spawned = std::thread::Builder::new().name("ws-connect".into()).spawn(move || {
            latch.wait(COOKIE_WAIT);
            let _ = hand_over.send(engine.connect_ws(upgrade, options));
            wake.request_repaint();
        });
        if let Err(e) = spawned {
            if let Some(live) = self.ws_tab(tab) {
                live.status = ConnStatus::Failed(format!("could not start connecting: {e}"));
            }
            return;
        }
        let old = self.ws_tab(tab).and_then(WsTab::abandon);
        if let Some(old) = old {
            self.ws_record(old);
        }
        let Some(live) = self.ws_tab(tab) else { return };
        live.log.set_repaint(on_event);
        live.pending = Some(pending);
        live.closing = false;
        live.last_error = None;
        live.status = ConnStatus::Connecting;
        live.session =
            Some(SessionRecord { prepared, tally: WsTally::default(), workspace, cookies_set: false });
        self.keep_tab(tab);
    }

    /// The upgrade request, prepared as a send of the tab's request would be.
    fn ws_prepare(&self, tab: TabId) -> Result<PreparedRequest, String> {
        let t = self.state.tab(tab).ok_or("the tab was closed")?;
        let r = t.request().ok_or("not a request tab")?;
        let ws = self.state.library.workspaces.get(&t.workspace).ok_or("the workspace is gone")?;
        let draft = &r.draft;
        if draft.url.trim().is_empty() || draft.url.trim() == "ws://" || draft.url.trim() == "wss://" {
            return Err("Enter a ws:// or wss:// URL to connect.".into());
        }
        let environment = self.state.active_environment.get(&t.workspace).copied();
        let saved = ws.requests.contains_key(&draft.id);
        let scopes = super::send::request_scopes(ws, environment, draft, saved, r.parent);
        let chain = super::send::inherited_chain(ws, draft, saved, r.parent);
        let send_unresolved = self.state.effective_settings().send_unresolved_variables;
        prepare_upgrade(draft, ws, &chain, &scopes, send_unresolved)
    }

    /// Drains every WebSocket tab's connection (a bounded number of events per frame), and
    /// records the sessions that ended.
    pub(super) fn poll_websockets(&mut self, ctx: &egui::Context) {
        let mut ended = Vec::new();
        let mut more = false;
        for tab in &mut self.state.tabs {
            let Some(r) = tab.request_mut() else { continue };
            let max = r.draft.websocket.reconnect.max_attempts;
            let Some(live) = r.websocket.as_deref_mut() else { continue };
            live.adopt_pending();
            live.log.poll();
            more |= live.take_events(EVENTS_PER_FRAME, max);
            if let Some(session) = live.ended() {
                ended.push(session);
            }
            if matches!(live.status, ConnStatus::Open { .. }) {
                // The "Connected for 1:23" clock.
                ctx.request_repaint_after(std::time::Duration::from_secs(1));
            }
        }
        if more {
            ctx.request_repaint();
        }
        for session in ended {
            self.ws_record(session);
        }
    }

    /// A closing tab's connection: closed, and its session recorded.
    pub(super) fn ws_tab_closed(&mut self, live: Option<Box<WsTab>>) {
        if let Some(session) = live.and_then(|mut l| l.abandon()) {
            self.ws_record(session);
        }
    }

    /// One history entry for a session, and the cookies it set.
    fn ws_record(&mut self, session: SessionRecord) {
        let SessionRecord { prepared, tally, workspace, cookies_set } = session;
        if tally.started_at.is_none() {
            return;
        }
        let entry = session_history_entry(&prepared, &tally);
        let keep = self.state.effective_settings().history_max_entries > 0;
        if keep && self.state.workspace == Some(workspace) {
            self.state.history.insert(0, entry.clone());
        }
        let Some(engine) = self.sends.engine.clone() else { return };
        self.submit(WriteJob::Task {
            what: "recording the WebSocket session in history".into(),
            run: Box::new(move |store| {
                let recorded = if keep {
                    store.record_history(workspace, &entry, &engine.settings()).map(drop)
                } else {
                    Ok(())
                };
                if cookies_set {
                    store.save_cookies(workspace, &engine.cookie_jar(Some(workspace)))?;
                }
                recorded
            }),
        });
    }
}

/// Base64 of bytes, for tests comparing saved binary messages.
pub fn base64_of(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_labels_read_as_the_issue_says() {
        assert_eq!(ConnStatus::Reconnecting { attempt: 2, max: 5 }.label(), "Reconnecting (2/5)");
        assert_eq!(
            ConnStatus::Closed { code: Some(1000), reason: "bye".into() }.label(),
            "Closed 1000 \"bye\""
        );
        let open = ConnStatus::Open { since: Instant::now(), protocol: None };
        assert_eq!(open.label(), "Connected for 0:00");
    }
}
