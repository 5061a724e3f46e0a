//! File dialogs (rfd) and the file work they lead to, off the UI thread. Where no native dialog
//! can open (no desktop portal, headless), the path fields beside every "Browse…" button are the
//! way in: "Browse…" says the chooser is not available and puts the cursor in the field.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::job::{self, Job};

use super::App;
use super::command::FileField;
use super::state::{Modal, PathField, Tab, TabId};

/// Dialogs and file writes in progress.
#[derive(Default)]
pub struct Dialogs {
    pick: Option<(TabId, FileField, Job<Chosen>)>,
    pub(super) save_path: Option<Job<Chosen>>,
    write: Option<Job<Result<String, String>>>,
    policy: Option<Job<crate::policy::EffectivePolicy>>,
}

/// What a file dialog gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Chosen {
    Path(PathBuf),
    Cancelled,
    /// No chooser opened: rfd answers "nothing chosen" at once where no desktop portal runs.
    Unavailable,
}

/// A dialog closed sooner than this was never shown: nobody cancels a file chooser that fast.
const SHOWN_AT_LEAST: Duration = Duration::from_millis(250);

/// What the window says when "Browse…" cannot open the system's chooser.
pub const NO_FILE_CHOOSER: &str =
    "The system file chooser is not available here (no desktop portal answered): type the path in the field.";

impl Chosen {
    /// Reads a dialog's answer: nothing chosen within [`SHOWN_AT_LEAST`] means no dialog opened.
    pub fn of(picked: Option<PathBuf>, took: Duration) -> Self {
        match picked {
            Some(path) => Chosen::Path(path),
            None if took < SHOWN_AT_LEAST => Chosen::Unavailable,
            None => Chosen::Cancelled,
        }
    }
}

impl App {
    /// Opens the system's file dialog `build` makes, off the UI thread.
    pub(super) fn file_dialog(
        &self,
        ctx: &egui::Context,
        build: impl FnOnce() -> Option<PathBuf> + Send + 'static,
    ) -> Job<Chosen> {
        let unavailable = !self.options.file_chooser;
        job::spawn(ctx, "the file dialog", move || {
            if unavailable {
                return Chosen::Unavailable;
            }
            let started = Instant::now();
            let picked = build();
            Chosen::of(picked, started.elapsed())
        })
    }

    /// "Browse…" found no chooser: say so, and put the cursor in the path field beside it.
    pub(super) fn no_file_chooser(&mut self, field: PathField) {
        self.state.error(NO_FILE_CHOOSER);
        self.state.focus_path_field = Some(field);
    }
}

impl App {
    pub(super) fn pick_file(&mut self, ctx: &egui::Context, tab: TabId, field: FileField) {
        let promise =
            self.file_dialog(ctx, || rfd::FileDialog::new().set_title("Choose a file to send").pick_file());
        self.dialogs.pick = Some((tab, field, promise));
    }

    pub(super) fn save_response_body(&mut self, tab: TabId) {
        let Some(r) = self.state.tab(tab).and_then(Tab::request) else { return };
        if r.response.is_none() {
            return;
        }
        let suggested = self.state.data_dir.parent().map(|p| p.join("response.txt")).unwrap_or_default();
        let home = directories::UserDirs::new()
            .map(|d| d.download_dir().unwrap_or(d.home_dir()).join("response-body"))
            .unwrap_or(suggested);
        self.state.modal = Some(Modal::SaveBody { tab, path: home.display().to_string() });
    }

    pub(super) fn browse_save_path(&mut self, ctx: &egui::Context) {
        self.dialogs.save_path =
            Some(self.file_dialog(ctx, || rfd::FileDialog::new().set_title("Save to a file").save_file()));
    }

    pub(super) fn write_body(&mut self, ctx: &egui::Context, tab: TabId, path: String) {
        let Some(response) = self.state.tab(tab).and_then(Tab::request).and_then(|r| r.response.as_ref())
        else {
            return;
        };
        let body = response.body.clone();
        self.state.modal = None;
        self.dialogs.write = Some(job::spawn(ctx, "saving the body", move || {
            let path = PathBuf::from(path.trim());
            // Atomic: a crash or a full disk never leaves half a file over one that was there.
            crate::storage::atomic::write_replacing(&path, &body, false)
                .map(|()| format!("Saved {} bytes to {}", body.len(), path.display()))
                .map_err(|e| format!("Could not save the body to {}: {e}", path.display()))
        }));
    }

    /// Reads the machine's policy files again, off the UI thread.
    pub(super) fn reload_policy(&mut self, ctx: &egui::Context) {
        self.dialogs.policy =
            Some(job::spawn(ctx, "reading the policy", crate::policy::EffectivePolicy::load_machine));
    }

    /// Shows the data folder in the system's file manager.
    pub(super) fn open_data_folder(&mut self) {
        let dir = self.state.data_dir.clone();
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else if cfg!(windows) {
            "explorer"
        } else {
            "xdg-open"
        };
        if let Err(e) = std::process::Command::new(opener).arg(&dir).spawn() {
            self.state.error(format!("Could not open {} with {opener}: {e}", dir.display()));
        }
    }

    pub(super) fn poll_dialogs(&mut self) {
        if let Some((tab, field, promise)) = self.dialogs.pick.take() {
            match promise.try_take() {
                Ok(Ok(Chosen::Path(path))) => {
                    let path = path.display().to_string();
                    if let Some(r) = self.state.tab_mut(tab).and_then(Tab::request_mut) {
                        match field {
                            FileField::Binary => r.draft.body.binary_path = path,
                            FileField::MultipartPart(i) => {
                                if let Some(part) = r.draft.body.multipart.get_mut(i) {
                                    part.kind = crate::model::FormPartKind::File(path);
                                }
                            }
                        }
                    }
                    self.state.refresh_dirty(tab);
                }
                Ok(Ok(Chosen::Cancelled)) => {}
                Ok(Ok(Chosen::Unavailable)) => self.no_file_chooser(PathField::Body),
                Ok(Err(e)) => self.state.error(dialog_failed(&e)),
                Err(promise) => self.dialogs.pick = Some((tab, field, promise)),
            }
        }
        if let Some(promise) = self.dialogs.save_path.take() {
            match promise.try_take() {
                Ok(Ok(Chosen::Path(chosen))) => match &mut self.state.modal {
                    Some(Modal::SaveBody { path, .. }) => *path = chosen.display().to_string(),
                    Some(Modal::Reset(dialog)) => dialog.backup_path = chosen.display().to_string(),
                    Some(Modal::Export(dialog)) => dialog.path = chosen.display().to_string(),
                    _ => {}
                },
                Ok(Ok(Chosen::Cancelled)) => {}
                Ok(Ok(Chosen::Unavailable)) => self.no_file_chooser(PathField::Modal),
                Ok(Err(e)) => self.state.error(dialog_failed(&e)),
                Err(promise) => self.dialogs.save_path = Some(promise),
            }
        }
        if let Some(promise) = self.dialogs.policy.take() {
            match promise.try_take() {
                Ok(Ok(policy)) => {
                    policy.log_startup();
                    self.state.policy = std::sync::Arc::new(policy);
                    self.state.notify("The organization policy was read again.");
                }
                Ok(Err(e)) => self.state.error(e),
                Err(promise) => self.dialogs.policy = Some(promise),
            }
        }
        if let Some(promise) = self.dialogs.write.take() {
            match promise.try_take() {
                Ok(Ok(Ok(message))) => self.state.notify(message),
                Ok(Ok(Err(message)) | Err(message)) => self.state.error(message),
                Err(promise) => self.dialogs.write = Some(promise),
            }
        }
    }
}

/// The message when a file dialog could not be shown (no desktop portal, a crash in it).
pub(super) fn dialog_failed(error: &str) -> String {
    format!("The file dialog could not be shown ({error}); type the path in the field instead.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dialog_that_answers_at_once_was_never_shown() {
        let path = PathBuf::from("/tmp/a.json");
        assert_eq!(Chosen::of(Some(path.clone()), Duration::from_millis(5)), Chosen::Path(path));
        assert_eq!(Chosen::of(None, Duration::from_millis(5)), Chosen::Unavailable);
        assert_eq!(Chosen::of(None, Duration::from_secs(3)), Chosen::Cancelled);
    }
}
