//! A runner result opened: the request as it was sent and the response that came back, read in
//! the background from where the run kept them (the live run's temporary file, or the past run's
//! responses file, see [`crate::runner::kept`]). A result whose response was not kept says why.

use super::App;
use super::job::{self, Job};
use super::response::{ResponseOrigin, ResponseView};
use super::runs::RunnerTab;
use super::state::{Tab, TabId, TabKind};
use super::writer::WriteJob;
use crate::model::{KeptExchange, RequestOutcome, ResponseKept, RunId, RunResult, SentRequest};
use crate::runner::kept::{FAILED_BODY_CAP_BYTES, RUN_KEPT_BUDGET_BYTES};

/// The most of a sent body the result shows.
pub const SENT_BODY_SHOWN_CHARS: usize = 100_000;

/// The most of a run's name an origin label shows.
const ORIGIN_NAME_CHARS: usize = 40;

/// Which result of a runner tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResultRow {
    /// The `index`-th outcome the tab's live run lists.
    Live(usize),
    /// The `index`-th result of a past run.
    Past { run: RunId, index: usize },
}

/// What the user asks of a runner result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunResultCommand {
    /// Shows the result's request and response under the results.
    Open {
        tab: TabId,
        row: ResultRow,
    },
    Close(TabId),
}

/// The parts of the opened result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DetailSection {
    #[default]
    Body,
    Headers,
    Cookies,
    Tests,
    /// The request as sent.
    Request,
}

/// What is known of the opened result's exchange.
pub enum DetailContent {
    Loading(Job<Result<KeptExchange, String>>),
    Kept {
        sent: SentRequest,
        /// The sent body as text, decoded once (at most [`SENT_BODY_SHOWN_CHARS`]).
        sent_body: Option<String>,
        /// `None`: the request got no response (its error says why).
        response: Option<Box<ResponseView>>,
        /// Why the body is cut or missing.
        note: String,
    },
    /// The run did not keep it: why.
    NotKept(String),
    /// It was kept but cannot be read now: why.
    Unreadable(String),
}

/// A result opened in a runner tab.
pub struct RunDetail {
    pub row: ResultRow,
    pub outcome: RequestOutcome,
    /// `run <name> · iteration i · request r`.
    pub origin: String,
    pub content: DetailContent,
    pub section: DetailSection,
    /// The share of the results' height the opened result takes (the user drags it).
    pub share: f32,
}

/// The share of the height an opened result takes at first.
pub const DEFAULT_DETAIL_SHARE: f32 = 0.55;

impl RunDetail {
    /// Whether its exchange is still being read.
    pub fn loading(&self) -> bool {
        matches!(self.content, DetailContent::Loading(_))
    }

    /// Takes in the exchange once it is read.
    pub(super) fn poll(&mut self) {
        let DetailContent::Loading(job) = &self.content else { return };
        let Some(done) = job.ready() else { return };
        self.content = match done {
            Ok(Ok(kept)) => {
                let origin = ResponseOrigin::Run(self.origin.clone());
                let response = kept
                    .response
                    .as_ref()
                    .map(|r| Box::new(ResponseView::from_record(r, kept.request.clone(), origin)));
                let section = if response.is_none() { DetailSection::Request } else { self.section };
                self.section = section;
                let sent_body = kept.request.body.as_ref().map(|b| {
                    let text = String::from_utf8_lossy(&b.to_bytes()).into_owned();
                    match text.char_indices().nth(SENT_BODY_SHOWN_CHARS) {
                        Some((cut, _)) => format!("{}…", &text[..cut]),
                        None => text,
                    }
                });
                DetailContent::Kept {
                    sent: kept.request.clone(),
                    sent_body,
                    response,
                    note: kept.note.clone(),
                }
            }
            Ok(Err(e)) | Err(e) => {
                DetailContent::Unreadable(format!("The kept response cannot be read: {e}"))
            }
        };
    }
}

/// `run <name> · iteration i · request r`: `r` counts the requests of its iteration that came
/// before it in `outcomes`, from 1.
fn origin_label<'a>(
    run_name: &str,
    outcomes: impl Iterator<Item = &'a RequestOutcome>,
    index: usize,
    outcome: &RequestOutcome,
) -> String {
    let before = outcomes.take(index).filter(|o| o.iteration == outcome.iteration).count();
    // A long name is cut so that the iteration and the request stay in view.
    let name = match run_name.char_indices().nth(ORIGIN_NAME_CHARS) {
        Some((cut, _)) => format!("{}…", &run_name[..cut]),
        None => run_name.to_owned(),
    };
    format!("run {name} · iteration {} · request {}", outcome.iteration + 1, before + 1)
}

/// Why a result's response is not there, in words.
pub fn not_kept_reason(outcome: &RequestOutcome) -> String {
    let size = crate::http::size;
    match outcome.kept {
        ResponseKept::At { .. } => String::new(),
        ResponseKept::No if outcome.status.is_none() && outcome.error.is_some() => {
            "Nothing was sent, so there is no response (see the error above).".to_owned()
        }
        ResponseKept::No => "This run kept no responses (it was made by an older Localpost).".to_owned(),
        ResponseKept::OverLimit { limit_bytes: 0 } => {
            "The settings keep no responses of requests that passed (Settings > History > Run responses kept up to)."
                .to_owned()
        }
        ResponseKept::OverLimit { limit_bytes } => format!(
            "This request passed and its response body ({}) was over the {} the settings keep for a request that passed (Settings > History > Run responses kept up to). Failed requests' responses are always kept.",
            size(outcome.size_bytes),
            size(limit_bytes)
        ),
        ResponseKept::OverBudget => format!(
            "The run had already kept {} of responses ({} for requests that passed), so this one was not kept.",
            size(RUN_KEPT_BUDGET_BYTES),
            size(RUN_KEPT_BUDGET_BYTES / 2)
        ),
        ResponseKept::Unwritten => "The response could not be written to the temporary folder.".to_owned(),
    }
}

/// The note of a body the run cut: how much it keeps of a failed request.
pub fn failed_cap_note() -> String {
    format!("Failed requests keep their body up to {}.", crate::http::size(FAILED_BODY_CAP_BYTES))
}

/// A run's identity fields, without its results (to find its files).
fn head_of(run: &RunResult) -> RunResult {
    RunResult {
        id: run.id,
        started_at: run.started_at,
        finished_at: run.finished_at,
        target: run.target.clone(),
        environment: run.environment.clone(),
        iterations: run.iterations,
        data_file: run.data_file.clone(),
        cancelled: run.cancelled,
        results: Vec::new(),
    }
}

impl RunnerTab {
    /// Takes in the opened result's exchange once it is read.
    pub(super) fn poll_detail(&mut self) {
        if let Some(detail) = &mut self.detail {
            detail.poll();
        }
    }
}

impl App {
    pub(super) fn run_result_command(&mut self, command: RunResultCommand) {
        match command {
            RunResultCommand::Open { tab, row } => self.open_run_result(tab, row),
            RunResultCommand::Close(tab) => {
                if let Some(Tab { kind: TabKind::Runner(r), .. }) = self.state.tab_mut(tab) {
                    r.detail = None;
                }
            }
        }
    }

    /// Opens a result of a runner tab: its exchange is read in the background.
    fn open_run_result(&mut self, tab_id: TabId, row: ResultRow) {
        let ctx = self.repaint.clone();
        let past = match row {
            ResultRow::Past { run, index } => self.state.past_runs.get(run).and_then(|(run, _)| {
                let outcome = run.results.get(index)?;
                let origin = origin_label(&run.target.name, run.results.iter(), index, outcome);
                Some((head_of(run), outcome.clone(), origin))
            }),
            ResultRow::Live(_) => None,
        };
        let ws_id = self.state.tab(tab_id).map(|t| t.workspace);
        let run_name = self.state.tab(tab_id).and_then(|t| match &t.kind {
            TabKind::Runner(r) => self
                .state
                .library
                .workspaces
                .get(&t.workspace)
                .map(|ws| crate::runner::target_of(ws, r.target).name),
            _ => None,
        });
        let Some(Tab { kind: TabKind::Runner(r), .. }) = self.state.tab_mut(tab_id) else { return };
        let (outcome, origin, read) = match row {
            ResultRow::Live(index) => {
                let Some(live) = &r.live else { return };
                let Some(outcome) = live.outcomes.get(index) else { return };
                let name = run_name.unwrap_or_default();
                let origin = origin_label(&name, live.outcomes.iter(), index, outcome);
                let read = match (outcome.kept, live.responses.clone()) {
                    (ResponseKept::At { offset_bytes, len_bytes }, Some(reader)) => {
                        Some(job::spawn(&ctx, "reading a kept response", move || {
                            reader.read(offset_bytes, len_bytes).map_err(|e| e.to_string())
                        }))
                    }
                    _ => None,
                };
                (outcome.clone(), origin, read)
            }
            ResultRow::Past { .. } => {
                let Some((head, outcome, origin)) = past else { return };
                let read = match (outcome.kept, ws_id) {
                    (ResponseKept::At { offset_bytes, len_bytes }, Some(ws)) => {
                        let (reply, promise) = job::reply(&ctx, "reading a kept response");
                        self.submit_read_kept(ws, head, (offset_bytes, len_bytes), reply);
                        Some(promise)
                    }
                    _ => None,
                };
                (outcome, origin, read)
            }
        };
        let content = match read {
            Some(job) => DetailContent::Loading(job),
            None => DetailContent::NotKept(not_kept_reason(&outcome)),
        };
        let Some(Tab { kind: TabKind::Runner(r), .. }) = self.state.tab_mut(tab_id) else { return };
        // Going from result to result keeps the section the user looks at.
        let section = r.detail.as_ref().map_or(DetailSection::Body, |d| d.section);
        let share = r.detail.as_ref().map_or(DEFAULT_DETAIL_SHARE, |d| d.share);
        r.detail = Some(RunDetail { row, outcome, origin, content, section, share });
    }

    /// Reads a past run's kept response on the writer thread (after any write of that run).
    fn submit_read_kept(
        &mut self,
        ws: crate::model::WorkspaceId,
        run: RunResult,
        (offset_bytes, len_bytes): (u64, u64),
        reply: job::Reply<Result<KeptExchange, String>>,
    ) {
        self.submit(WriteJob::Task {
            what: "reading a kept response".into(),
            run: Box::new(move |store| {
                let read = store.workspace_dir(ws).map_err(|e| e.to_string()).and_then(|dir| {
                    crate::storage::runs::read_kept(dir, &run, offset_bytes, len_bytes)
                        .map_err(|e| e.to_string())
                });
                reply.send(read);
                Ok(())
            }),
        });
    }
}
