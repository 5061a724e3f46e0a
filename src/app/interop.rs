//! Import and export from the window. Reading, detecting, parsing and planning an import run on
//! a background thread; the write is the library's staged, all-or-nothing apply on the writer
//! thread, followed by a re-read of the folder. Exports are written on the writer thread too.
//! Every import goes through the organization policy ([`crate::policy::EffectivePolicy::check_import_of`]) and
//! every export through [`crate::policy::EffectivePolicy::check_export`].

use super::job::{self, Job};
use std::collections::HashMap;
use std::path::PathBuf;

use super::App;
use super::dialogs::Chosen;
use super::state::Modal;
use super::writer::WriteJob;
use crate::interop::apply::{self, Choices, ImportPlan, ItemKey, Resolution, Target};
use crate::interop::bundle::{self, ExportOptions, Scope, Secrets};
use crate::interop::export::postman::{self, PostmanOptions};
use crate::model::{EnvironmentId, ParentId, WorkspaceId};

/// Where the imported items go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportInto {
    /// A backup's workspaces back where they were; anything else into the current workspace.
    AsInTheFile,
    Current,
    NewWorkspace,
}

pub enum ImportStage {
    Input,
    Reading,
    Preview(Box<ImportPlan>),
    Writing,
}

/// The import dialog.
pub struct ImportDialog {
    pub path: String,
    pub pasted: String,
    pub into: ImportInto,
    pub new_workspace: String,
    pub stage: ImportStage,
    /// What happens to items that are already here, unless chosen per item.
    pub default: Resolution,
    pub per_item: HashMap<ItemKey, Resolution>,
    pub error: Option<String>,
}

impl ImportDialog {
    fn new(path: String) -> Self {
        Self {
            path,
            pasted: String::new(),
            into: ImportInto::AsInTheFile,
            new_workspace: "Imported".into(),
            stage: ImportStage::Input,
            default: Resolution::KeepBoth,
            per_item: HashMap::new(),
            error: None,
        }
    }
}

/// What an export covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportWhat {
    Everything,
    Workspace(WorkspaceId),
    Container(ParentId),
    Environment(EnvironmentId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Localpost's lossless, checksummed backup.
    Bundle,
    /// Postman Collection v2.1 or Postman environment.
    Postman,
}

/// The export dialog.
pub struct ExportDialog {
    pub what: ExportWhat,
    /// Shown in the dialog's title.
    pub name: String,
    pub format: ExportFormat,
    pub path: String,
    pub include_secrets: bool,
    pub include_history: bool,
    pub writing: bool,
    pub error: Option<String>,
}

impl ExportDialog {
    /// Postman holds one collection or one environment.
    pub fn postman_possible(&self) -> bool {
        matches!(self.what, ExportWhat::Container(_) | ExportWhat::Environment(_))
    }
}

/// Background work of the two dialogs.
#[derive(Default)]
pub struct Interop {
    reading: Option<Job<Result<ImportPlan, String>>>,
    writing: Option<Job<String>>,
    exporting: Option<Job<String>>,
    picked: Option<Job<Chosen>>,
}

fn documents_dir(fallback: &std::path::Path) -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_owned())
        .or_else(|| fallback.parent().map(std::path::Path::to_owned))
        .unwrap_or_default()
}

impl App {
    /// Opens the import dialog; with a path (a dropped file), reads it at once.
    pub(super) fn open_import(&mut self, ctx: &egui::Context, path: Option<PathBuf>) {
        if let Err(e) = self.state.policy.check_import_any() {
            self.state.error(format!("Import is not available: {e}"));
            return;
        }
        let start = path.is_some();
        let path = path.map(|p| p.display().to_string()).unwrap_or_default();
        self.state.modal = Some(Modal::Import(Box::new(ImportDialog::new(path))));
        if start {
            self.read_import(ctx);
        }
    }

    pub(super) fn browse_import_path(&mut self, ctx: &egui::Context) {
        self.interop.picked =
            Some(self.file_dialog(ctx, || rfd::FileDialog::new().set_title("Import a file").pick_file()));
    }

    /// Reads, checks and plans the import in the background.
    pub(super) fn read_import(&mut self, ctx: &egui::Context) {
        let current = self.state.workspace;
        let Some(Modal::Import(dialog)) = &mut self.state.modal else { return };
        let path = dialog.path.trim().to_owned();
        let pasted = dialog.pasted.clone();
        if path.is_empty() && pasted.trim().is_empty() {
            dialog.error = Some("Choose a file, or paste a cURL command, JSON or YAML.".into());
            return;
        }
        let into = dialog.into;
        let new_name = dialog.new_workspace.trim().to_owned();
        dialog.error = None;
        dialog.per_item.clear();
        dialog.stage = ImportStage::Reading;
        let policy = self.state.policy.clone();
        let library = self.state.library.clone();
        self.interop.reading = Some(job::spawn(ctx, "reading the import", move || {
            (|| {
                let (bytes, name) = if path.is_empty() {
                    (pasted.into_bytes(), "pasted text".to_owned())
                } else {
                    let file = PathBuf::from(&path);
                    let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {path}: {e}"))?;
                    let name = file.file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned());
                    (bytes, name)
                };
                // Checked against the policy before anything is parsed.
                policy.check_import_of(crate::interop::detect(&bytes)).map_err(|e| format!("{name}: {e}"))?;
                let imported = crate::interop::import(&bytes, &name).map_err(|e| format!("{name}: {e}"))?;
                let target = match (into, current) {
                    (ImportInto::NewWorkspace, _) if !new_name.is_empty() => Target::NewWorkspace(new_name),
                    (ImportInto::Current, Some(ws)) => Target::Workspace(ws),
                    // Another tool's file goes into the workspace in view; a backup goes back.
                    (ImportInto::AsInTheFile, Some(ws)) if imported.bundle.is_none() => Target::Workspace(ws),
                    _ => Target::Auto,
                };
                apply::plan(&imported, &library, &target).map_err(|e| format!("{name}: {e}"))
            })()
        }));
    }

    /// Writes the previewed import, all or nothing, then re-reads the folder.
    pub(super) fn confirm_import(&mut self, ctx: &egui::Context) {
        let Some(Modal::Import(dialog)) = &mut self.state.modal else { return };
        let ImportStage::Preview(plan) = std::mem::replace(&mut dialog.stage, ImportStage::Writing) else {
            return;
        };
        let choices = Choices { default: dialog.default, items: dialog.per_item.clone() };
        let mut library = self.state.library.clone();
        let (reply, promise) = job::reply(ctx, "importing");
        self.submit(WriteJob::Task {
            what: "importing".into(),
            run: Box::new(move |store| {
                let local = store.local_files(plan.existing_targets());
                let result = apply::merge(&plan, &choices, &library, &local)
                    .and_then(|m| {
                        m.commit(&mut library, |now, next, extras| store.write_library(now, next, extras))
                    })
                    .map(|a| format!("Imported {}: {}.", plan.contains, a.summary()))
                    .map_err(|e| format!("Nothing was imported: {e}"));
                reply.send_result(result);
                Ok(())
            }),
        });
        self.interop.writing = Some(promise);
        // Queued after the import: the window shows what is on disk now.
        self.reload_from_disk();
    }

    pub(super) fn open_export(&mut self, what: ExportWhat) {
        if let Err(e) = self.state.policy.check_export(false) {
            self.state.error(format!("Export is not available: {e}"));
            return;
        }
        let ws = self.state.ws();
        let name = match what {
            ExportWhat::Everything => "everything".to_owned(),
            ExportWhat::Workspace(id) => {
                self.state.library.workspaces.get(&id).map(|w| w.workspace.name.clone()).unwrap_or_default()
            }
            ExportWhat::Container(p) => ws.and_then(|w| w.parent_name(p)).unwrap_or_default().to_owned(),
            ExportWhat::Environment(id) => {
                ws.and_then(|w| w.environments.get(&id)).map(|e| e.name.clone()).unwrap_or_default()
            }
        };
        let format = if matches!(what, ExportWhat::Container(_)) {
            ExportFormat::Postman
        } else {
            ExportFormat::Bundle
        };
        let mut dialog = ExportDialog {
            what,
            name,
            format,
            path: String::new(),
            include_secrets: false,
            include_history: false,
            writing: false,
            error: None,
        };
        dialog.path = suggested_export_path(&dialog, &self.state.data_dir).display().to_string();
        self.state.modal = Some(Modal::Export(Box::new(dialog)));
    }

    /// Keeps the suggested file name in step with the chosen format.
    pub(super) fn export_format_changed(&mut self) {
        let data_dir = self.state.data_dir.clone();
        if let Some(Modal::Export(dialog)) = &mut self.state.modal {
            dialog.path = suggested_export_path(dialog, &data_dir).display().to_string();
        }
    }

    pub(super) fn write_export(&mut self, ctx: &egui::Context) {
        let Some(Modal::Export(dialog)) = &mut self.state.modal else { return };
        if let Err(e) = self.state.policy.check_export(dialog.include_secrets) {
            dialog.error = Some(e.to_string());
            return;
        }
        let path = PathBuf::from(dialog.path.trim());
        if path.as_os_str().is_empty() {
            dialog.error = Some("Enter the file to write.".into());
            return;
        }
        dialog.writing = true;
        dialog.error = None;
        let secrets = if dialog.include_secrets { Secrets::Include } else { Secrets::Exclude };
        let (what, format, include_history) = (dialog.what, dialog.format, dialog.include_history);
        let library = self.state.library.clone();
        let (reply, promise) = job::reply(ctx, "exporting");
        self.submit(WriteJob::Task {
            what: format!("exporting to {}", path.display()),
            run: Box::new(move |store| {
                let text = match format {
                    ExportFormat::Bundle => {
                        let scope = match what {
                            ExportWhat::Everything => Scope::Everything,
                            ExportWhat::Workspace(id) => Scope::Workspace(id),
                            ExportWhat::Container(ParentId::Collection(id)) => Scope::Collection(id),
                            ExportWhat::Container(ParentId::Folder(id)) => Scope::Folder(id),
                            ExportWhat::Environment(id) => Scope::Environment(id),
                        };
                        let options =
                            ExportOptions { secrets, include_history, include_runs: include_history };
                        let records =
                            store.records(bundle::workspaces_of(&library, &scope), options.records());
                        bundle::export(&records, &library, &scope, options)
                            .map(|e| e.text)
                            .map_err(|e| e.to_string())
                    }
                    ExportFormat::Postman => postman_text(&library, what, PostmanOptions { secrets }),
                };
                let result = text
                    .and_then(|text| {
                        let private = matches!(secrets, Secrets::Include);
                        crate::storage::atomic::write_replacing(&path, text.as_bytes(), private)
                            .map_err(|e| format!("cannot write {}: {e}", path.display()))
                    })
                    .map(|()| format!("Exported to {}", path.display()));
                reply.send_result(result);
                Ok(())
            }),
        });
        self.interop.exporting = Some(promise);
    }

    pub(super) fn copy_as_curl(&mut self, ctx: &egui::Context, request: crate::model::RequestId) {
        let Some(ws) = self.state.ws() else { return };
        let Some(r) = ws.requests.get(&request) else { return };
        let exported = crate::interop::export::curl::request_to_curl(Some(ws), r);
        if let Some(left_out) = exported.text.is_empty().then(|| exported.report.warnings.first()).flatten() {
            let text = format!("{}: {}", left_out.location, left_out.message);
            self.state.error(text);
            return;
        }
        ctx.copy_text(exported.text);
        self.state.notify("Copied as a cURL command.");
    }

    /// The open request, as written (unsaved edits included), to the clipboard as cURL.
    pub(super) fn copy_active_as_curl(&mut self, ctx: &egui::Context) {
        let Some(tab) = self.state.active() else { return };
        let Some(r) = tab.request() else {
            self.state.notify("Open a request to copy it as cURL.");
            return;
        };
        let ws = self.state.library.workspaces.get(&tab.workspace);
        let exported = crate::interop::export::curl::request_to_curl(ws, &r.draft);
        if let Some(left_out) = exported.text.is_empty().then(|| exported.report.warnings.first()).flatten() {
            let text = format!("{}: {}", left_out.location, left_out.message);
            self.state.error(text);
            return;
        }
        ctx.copy_text(exported.text);
        self.state.notify("Copied as a cURL command.");
    }

    pub(super) fn poll_interop(&mut self) {
        if let Some(p) = self.interop.picked.take() {
            match p.try_take() {
                Ok(Ok(Chosen::Path(path))) => {
                    if let Some(Modal::Import(d)) = &mut self.state.modal {
                        d.path = path.display().to_string();
                    }
                }
                Ok(Ok(Chosen::Cancelled)) => {}
                Ok(Ok(Chosen::Unavailable)) => self.no_file_chooser(super::state::PathField::Modal),
                Ok(Err(e)) => self.state.error(super::dialogs::dialog_failed(&e)),
                Err(p) => self.interop.picked = Some(p),
            }
        }
        if let Some(p) = self.interop.reading.take() {
            match p.try_take() {
                Ok(result) => {
                    if let Some(Modal::Import(d)) = &mut self.state.modal {
                        match result.and_then(|r| r) {
                            Ok(plan) => d.stage = ImportStage::Preview(Box::new(plan)),
                            Err(e) => {
                                d.stage = ImportStage::Input;
                                d.error = Some(e);
                            }
                        }
                    }
                }
                Err(p) => self.interop.reading = Some(p),
            }
        }
        if let Some(p) = self.interop.writing.take() {
            match p.try_take() {
                Ok(Ok(message)) => {
                    // The import may have written cookies into a jar the engine holds.
                    self.sends.reread_cookie_jars();
                    self.state.modal = None;
                    self.state.notify(message);
                }
                Ok(Err(e)) => {
                    if let Some(Modal::Import(d)) = &mut self.state.modal {
                        d.stage = ImportStage::Input;
                        d.error = Some(e.clone());
                    }
                    self.state.error(e);
                }
                Err(p) => self.interop.writing = Some(p),
            }
        }
        if let Some(p) = self.interop.exporting.take() {
            match p.try_take() {
                Ok(Ok(message)) => {
                    self.state.modal = None;
                    self.state.notify(message);
                }
                Ok(Err(e)) => {
                    if let Some(Modal::Export(d)) = &mut self.state.modal {
                        d.writing = false;
                        d.error = Some(e);
                    }
                }
                Err(p) => self.interop.exporting = Some(p),
            }
        }
    }
}

fn postman_text(
    library: &crate::model::Library,
    what: ExportWhat,
    options: PostmanOptions,
) -> Result<String, String> {
    match what {
        ExportWhat::Container(root) => library
            .workspaces
            .values()
            .find(|w| w.parent_name(root).is_some())
            .and_then(|w| postman::collection_v21(w, root, options))
            .map(|e| e.text)
            .ok_or_else(|| "the collection is gone".to_owned()),
        ExportWhat::Environment(id) => library
            .workspaces
            .values()
            .find_map(|w| w.environments.get(&id))
            .map(|env| postman::environment(env, options).text)
            .ok_or_else(|| "the environment is gone".to_owned()),
        ExportWhat::Everything | ExportWhat::Workspace(_) => {
            Err("a Postman file holds one collection or one environment".to_owned())
        }
    }
}

fn suggested_export_path(dialog: &ExportDialog, data_dir: &std::path::Path) -> PathBuf {
    let stem = crate::storage::layout::slug(&dialog.name);
    let name = match (dialog.format, dialog.what) {
        (ExportFormat::Postman, ExportWhat::Environment(_)) => format!("{stem}.postman_environment.json"),
        (ExportFormat::Postman, _) => format!("{stem}.postman_collection.json"),
        (ExportFormat::Bundle, _) => format!("{stem}.localpost.ron"),
    };
    documents_dir(data_dir).join(name)
}
