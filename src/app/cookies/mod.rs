//! The cookie manager ("Manage cookies…"): the workspace's cookie jar, grouped by domain, to
//! look through, add to, edit, delete from and clear.
//!
//! The jar lives in the engine ([`crate::http::Engine::cookie_jar`]), which sends it. Opening
//! the manager makes sure the engine has read the workspace's `cookies.ron` (the same one-time
//! read a send waits for) and then shows a copy. Each change goes to the engine's jar at once, so
//! the next send carries it, and the writer thread saves the jar afterwards; the UI thread never
//! touches the file. A cookie's value is a credential: it is shown to the user and never logged
//! (`Cookie`'s `Debug` masks it).

pub mod form;
pub mod set_cookie;

use std::collections::BTreeMap;
use std::time::Duration;

use time::OffsetDateTime;

use self::form::{CookieForm, CookieKey};
use super::job::{self, Job};
use super::state::Modal;
use super::writer::WriteJob;
use crate::model::{CookieJar, WorkspaceId};

/// How long the manager waits for the jar to be read before saying it could not be.
const READ_WAIT: Duration = Duration::from_secs(15);

/// What the cookie manager asks the app to do.
#[derive(Clone, Debug)]
pub enum CookieCommand {
    /// Opens the manager on the current workspace's jar.
    Open,
    /// Checks the form and, if it is right, adds or replaces the cookie.
    SaveForm,
    /// Closes the form without saving.
    CancelForm,
    Delete(CookieKey),
    /// Deletes cookies; the manager asked for confirmation before sending this.
    Clear(ClearScope),
}

/// What "Clear" deletes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClearScope {
    /// The cookies stored for exactly this domain.
    Domain(String),
    /// Every cookie of the workspace.
    All,
}

/// The manager's state while it is open (a dialog over the window).
pub struct CookieManager {
    pub workspace: WorkspaceId,
    pub workspace_name: String,
    /// A copy of the jar; `None` until it is read.
    pub jar: Option<CookieJar>,
    /// Why the jar could not be read.
    pub error: Option<String>,
    reading: Option<Job<Result<CookieJar, String>>>,
    /// The domain list's filter.
    pub filter: String,
    /// The domain whose cookies are shown.
    pub selected: Option<String>,
    /// A cookie being added or edited.
    pub form: Option<CookieForm>,
    /// A clear waiting for the user's confirmation.
    pub confirm: Option<ClearScope>,
    /// Sends or runs were in flight at the last poll (the jar is read again when they end).
    busy: bool,
}

impl CookieManager {
    /// The domains of the jar with their cookie counts, sorted, those containing `filter`
    /// (without case) only. A cookie stored for `.example.com` is under `example.com`.
    pub fn domains(&self) -> Vec<(String, usize)> {
        let Some(jar) = &self.jar else { return Vec::new() };
        let filter = self.filter.trim().to_lowercase();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for c in &jar.cookies {
            let domain = c.domain.to_lowercase();
            if filter.is_empty() || domain.contains(&filter) {
                *counts.entry(domain).or_default() += 1;
            }
        }
        counts.into_iter().collect()
    }

    /// The cookies of `domain`, by name then path.
    pub fn cookies_of(&self, domain: &str) -> Vec<&crate::model::Cookie> {
        let Some(jar) = &self.jar else { return Vec::new() };
        let mut list: Vec<_> = jar.cookies.iter().filter(|c| c.domain.eq_ignore_ascii_case(domain)).collect();
        list.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
        list
    }

    /// The domain shown: the one selected if it is still listed, else the first listed.
    pub fn shown_domain(&self, domains: &[(String, usize)]) -> Option<String> {
        let selected = self.selected.as_ref().filter(|s| domains.iter().any(|(d, _)| d == *s));
        selected.cloned().or_else(|| domains.first().map(|(d, _)| d.clone()))
    }

    /// How many cookies a clear would delete.
    pub fn clear_count(&self, scope: &ClearScope) -> usize {
        match scope {
            ClearScope::All => self.jar.as_ref().map_or(0, |j| j.cookies.len()),
            ClearScope::Domain(d) => self.cookies_of(d).len(),
        }
    }
}

impl super::App {
    pub(super) fn cookie_command(&mut self, ctx: &egui::Context, command: CookieCommand) {
        match command {
            CookieCommand::Open => self.open_cookie_manager(ctx),
            CookieCommand::SaveForm => self.save_cookie_form(),
            CookieCommand::CancelForm => {
                if let Some(Modal::Cookies(m)) = &mut self.state.modal {
                    m.form = None;
                }
            }
            CookieCommand::Delete(key) => self.change_jar(|engine, ws| {
                engine.remove_cookie(Some(ws), &key.name, &key.domain, &key.path);
            }),
            CookieCommand::Clear(scope) => {
                if let Some(Modal::Cookies(m)) = &mut self.state.modal {
                    m.confirm = None;
                }
                self.change_jar(|engine, ws| match &scope {
                    ClearScope::Domain(d) => engine.clear_cookies(Some(ws), Some(d)),
                    ClearScope::All => engine.clear_cookies(Some(ws), None),
                });
            }
        }
    }

    fn open_cookie_manager(&mut self, ctx: &egui::Context) {
        let Some(ws) = self.state.ws() else {
            return self.state.notify("Open a workspace first: each workspace has its own cookies.");
        };
        let (workspace, workspace_name) = (ws.id(), ws.workspace.name.clone());
        let engine = match self.engine() {
            Ok(engine) => engine,
            Err(e) => return self.state.error(format!("The HTTP engine could not start: {e}")),
        };
        let latch = self.cookie_latch(&engine, workspace);
        let reading = job::spawn(ctx, "reading cookies", move || {
            if latch.wait(READ_WAIT) {
                Ok(engine.cookie_jar(Some(workspace)))
            } else {
                Err("The cookies could not be read in time; close this and try again.".to_owned())
            }
        });
        self.state.modal = Some(Modal::Cookies(Box::new(CookieManager {
            workspace,
            workspace_name,
            jar: None,
            error: None,
            reading: Some(reading),
            filter: String::new(),
            selected: None,
            form: None,
            confirm: None,
            busy: false,
        })));
    }

    /// Takes the jar once read, and reads it again when sends or runs end (they may have
    /// changed it while the manager was open).
    pub(super) fn poll_cookies(&mut self) {
        let busy = self.any_in_flight() || self.any_run_live();
        let engine = self.sends.engine.clone();
        let Some(Modal::Cookies(m)) = &mut self.state.modal else { return };
        if let Some(reading) = m.reading.take() {
            match reading.try_take() {
                Ok(Ok(Ok(jar))) => m.jar = Some(jar),
                Ok(Ok(Err(e)) | Err(e)) => m.error = Some(e),
                Err(reading) => m.reading = Some(reading),
            }
        }
        if m.busy
            && !busy
            && m.jar.is_some()
            && let Some(engine) = engine
        {
            m.jar = Some(engine.cookie_jar(Some(m.workspace)));
        }
        m.busy = busy;
    }

    fn save_cookie_form(&mut self) {
        let Some(Modal::Cookies(m)) = &mut self.state.modal else { return };
        let (Some(form), Some(jar)) = (&mut m.form, &m.jar) else { return };
        let cookie = match form.to_cookie(OffsetDateTime::now_utc()) {
            Ok(cookie) => cookie,
            Err(e) => {
                form.error = Some(e);
                return;
            }
        };
        let key = CookieKey::of(&cookie);
        let is_original = form.original.as_ref().is_some_and(|o| o.names(&cookie));
        if !is_original && jar.cookies.iter().any(|c| key.names(c)) {
            form.error = Some(format!(
                "There is already a cookie `{}` for {} with path {}: edit that one, or change the name or path.",
                key.name, key.domain, key.path
            ));
            return;
        }
        let original = form.original.clone();
        m.selected = Some(cookie.domain.clone());
        m.form = None;
        self.change_jar(move |engine, ws| {
            if let Some(o) = original {
                engine.remove_cookie(Some(ws), &o.name, &o.domain, &o.path);
            }
            engine.upsert_cookie(Some(ws), cookie);
        });
    }

    /// Changes the engine's jar of the manager's workspace (the next send sees it), shows the
    /// result, and has the writer save the jar.
    fn change_jar(&mut self, change: impl FnOnce(&crate::http::Engine, WorkspaceId)) {
        let Some(engine) = self.sends.engine.clone() else { return };
        let Some(Modal::Cookies(m)) = &mut self.state.modal else { return };
        if m.jar.is_none() {
            return; // not read yet: a change now would be lost when it is
        }
        let ws = m.workspace;
        change(&engine, ws);
        m.jar = Some(engine.cookie_jar(Some(ws)));
        self.submit(WriteJob::Task {
            what: "the cookies".into(),
            run: Box::new(move |store| store.save_cookies(ws, &engine.cookie_jar(Some(ws)))),
        });
    }
}
