//! Reset local data: the local counterpart of Postman's sign-out clearing the local instance.
//! The dialog offers a full backup first (a Localpost bundle, written in the background), then
//! asks the user to type a word before anything is deleted.

use super::job;
use std::path::PathBuf;

use super::App;
use super::state::Modal;
use super::writer::WriteJob;
use crate::interop::bundle::{self, ExportOptions, Scope, Secrets};

/// What the user types to confirm.
pub const CONFIRM_WORD: &str = "DELETE";

/// The backup written before a reset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum BackupState {
    #[default]
    NotWritten,
    Writing,
    Written(PathBuf),
    Failed(String),
}

/// The reset dialog's fields.
#[derive(Debug, Default)]
pub struct ResetDialog {
    pub backup_path: String,
    pub include_secrets: bool,
    pub include_history: bool,
    pub backup: BackupState,
    pub typed: String,
}

impl ResetDialog {
    pub fn confirmed(&self) -> bool {
        self.typed.trim() == CONFIRM_WORD
    }
}

/// The backup in progress.
#[derive(Default)]
pub struct Backup(Option<job::Job<PathBuf>>);

impl App {
    pub(super) fn open_reset(&mut self) {
        let date = time::OffsetDateTime::now_utc().date();
        let name = format!("localpost-backup-{date}.localpost.ron");
        let folder = directories::UserDirs::new()
            .map(|d| d.document_dir().unwrap_or(d.home_dir()).to_owned())
            .or_else(|| self.state.data_dir.parent().map(std::path::Path::to_owned))
            .unwrap_or_default();
        self.state.modal = Some(Modal::Reset(Box::new(ResetDialog {
            backup_path: folder.join(name).display().to_string(),
            include_history: true,
            ..ResetDialog::default()
        })));
    }

    pub(super) fn browse_reset_backup_path(&mut self, ctx: &egui::Context) {
        self.dialogs.save_path =
            Some(self.file_dialog(ctx, || rfd::FileDialog::new().set_title("Save the backup").save_file()));
    }

    /// Writes a bundle of everything (settings, every workspace) on the writer thread, in order
    /// with the saves before it.
    pub(super) fn write_reset_backup(&mut self, ctx: &egui::Context) {
        let Some(Modal::Reset(dialog)) = &mut self.state.modal else { return };
        let policy = &self.state.policy;
        if let Err(e) = policy.check_export(dialog.include_secrets) {
            dialog.backup = BackupState::Failed(e.to_string());
            return;
        }
        let path = PathBuf::from(dialog.backup_path.trim());
        if path.as_os_str().is_empty() {
            dialog.backup = BackupState::Failed("Enter the file to write the backup to.".into());
            return;
        }
        let options = ExportOptions {
            secrets: if dialog.include_secrets { Secrets::Include } else { Secrets::Exclude },
            include_history: dialog.include_history,
            include_runs: dialog.include_history,
        };
        dialog.backup = BackupState::Writing;
        let library = self.state.library.clone();
        let (reply, promise) = job::reply(ctx, "writing the backup");
        self.submit(WriteJob::Task {
            what: format!("writing the backup {}", path.display()),
            run: Box::new(move |store| {
                let records = store.records(library.workspaces.keys().copied(), options.records());
                let result = bundle::export(&records, &library, &Scope::Everything, options)
                    .map_err(|e| e.to_string())
                    .and_then(|exported| {
                        let private = matches!(options.secrets, Secrets::Include);
                        crate::storage::atomic::write_replacing(&path, exported.text.as_bytes(), private)
                            .map_err(|e| format!("cannot write {}: {e}", path.display()))
                    })
                    .map(|()| path);
                reply.send_result(result);
                Ok(())
            }),
        });
        self.reset_backup = Backup(Some(promise));
    }

    pub(super) fn poll_reset_backup(&mut self) {
        let Some(promise) = self.reset_backup.0.take() else { return };
        match promise.try_take() {
            Ok(result) => {
                if let Some(Modal::Reset(dialog)) = &mut self.state.modal {
                    dialog.backup = match result {
                        Ok(path) => BackupState::Written(path),
                        Err(e) => BackupState::Failed(e),
                    };
                }
            }
            Err(promise) => self.reset_backup = Backup(Some(promise)),
        }
    }

    /// Deletes everything and starts afresh, as on a first start.
    pub(super) fn reset_local_data(&mut self) {
        let Some(Modal::Reset(dialog)) = &self.state.modal else { return };
        if !dialog.confirmed() || dialog.backup == BackupState::Writing {
            return;
        }
        let backup = match &dialog.backup {
            BackupState::Written(path) => format!(" The backup is in {}.", path.display()),
            _ => String::new(),
        };
        self.state.modal = None;
        self.state.tabs.clear();
        self.state.active_tab = None;
        self.state.history.clear();
        self.state.active_environment.clear();
        self.sends = super::send::Sends::default();
        self.reset_data_folder();
        self.state.settings = self.state.policy.initial_settings();
        self.submit(WriteJob::Settings(self.state.settings.clone()));
        self.state.notify(format!("All local data was deleted.{backup}"));
    }
}
