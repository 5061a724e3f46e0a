//! Saved examples as the window shows them: an example's tab (its request and its response,
//! read-only until the user clicks Edit) and the commands that open, edit, save and try one.
//! Renaming, duplicating and deleting go through the tree's commands with
//! [`super::state::Target::Example`]; the changes themselves are in [`crate::model::examples`].

use crate::model::{ExampleId, Header, RequestId, SavedResponse, StoredBody};

use super::response::{ResponseOrigin, ResponseView};
use super::state::TabId;

/// What the user asks of an example.
#[derive(Clone, Copy, Debug)]
pub enum ExampleCommand {
    /// Opens the example in its own tab (or shows the tab already open).
    Open(RequestId, ExampleId),
    /// Shows or hides a request's examples under it in the sidebar.
    ToggleExpanded(RequestId),
    /// "Try this example": its request in a new, unnamed request tab, ready to send.
    Try(RequestId, ExampleId),
    /// The same, from an example's tab: what the tab shows, edits included.
    TryTab(TabId),
    /// Makes an example's tab editable.
    Edit(TabId),
    /// Writes the tab's edits to the example (in its request's file).
    Save(TabId),
    /// Drops the tab's edits and goes back to read-only.
    CancelEdit(TabId),
    /// The tab's fields were edited: refresh its unsaved marker.
    Edited(TabId),
}

/// Which part of the example's request the tab shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExampleRequestSection {
    #[default]
    Headers,
    Body,
}

/// Which part of the example's response the tab shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExampleResponseSection {
    #[default]
    Body,
    Headers,
}

/// The text fields of an example being edited (bodies as text; a body that is not UTF-8 is
/// kept as it is and cannot be edited).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExampleFields {
    pub name: String,
    pub method: String,
    pub url: String,
    pub request_headers: Vec<Header>,
    /// `None`: the request's body is not text.
    pub request_body: Option<String>,
    pub status: String,
    pub reason: String,
    pub response_headers: Vec<Header>,
    /// `None`: the response's body is not text.
    pub response_body: Option<String>,
}

/// A body as editable text, or `None` when it is not text.
fn body_text(body: Option<&StoredBody>) -> Option<String> {
    match body {
        None => Some(String::new()),
        Some(StoredBody::Text(text)) => Some(text.clone()),
        Some(b @ StoredBody::Base64(_)) => String::from_utf8(b.to_bytes()).ok(),
    }
}

/// A body from edited text: no body for an empty one.
fn text_body(text: &str) -> Option<StoredBody> {
    (!text.is_empty()).then(|| StoredBody::Text(text.to_owned()))
}

impl ExampleFields {
    pub fn of(example: &SavedResponse) -> Self {
        Self {
            name: example.name.clone(),
            method: example.request.method.clone(),
            url: example.request.url.clone(),
            request_headers: example.request.headers.clone(),
            request_body: body_text(example.request.body.as_ref()),
            status: example.response.status.to_string(),
            reason: example.response.reason.clone(),
            response_headers: example.response.headers.clone(),
            response_body: body_text(example.response.body.as_ref()),
        }
    }

    /// The status code typed, if it is one (100–999).
    pub fn status_code(&self) -> Option<u16> {
        self.status.trim().parse::<u16>().ok().filter(|s| (100..=999).contains(s))
    }

    /// Why the fields cannot be saved, if they cannot.
    pub fn problem(&self) -> Option<&'static str> {
        if self.name.trim().is_empty() {
            Some("The example needs a name.")
        } else if self.status_code().is_none() {
            Some("The status must be a number from 100 to 999.")
        } else if crate::model::Method::parse(&self.method).is_valid_token() {
            None
        } else {
            Some("The method must be one word (letters, digits, and ! # $ % & ' * + - . ^ _ ` | ~).")
        }
    }

    /// `example` with these fields applied (a body that was not text stays as it was).
    pub fn applied_to(&self, example: &SavedResponse) -> SavedResponse {
        let mut out = example.clone();
        out.name = self.name.trim().to_owned();
        out.request.method = crate::model::Method::parse(&self.method).as_str().to_owned();
        out.request.url = self.url.trim().to_owned();
        out.request.headers.clone_from(&self.request_headers);
        out.request.headers.retain(|h| !h.name.trim().is_empty() || !h.value.is_empty());
        if let Some(text) = &self.request_body
            && body_text(example.request.body.as_ref()).as_ref() != Some(text)
        {
            out.request.body = text_body(text);
            out.request.body_size_bytes = text.len() as u64;
            out.request.body_truncated = false;
        }
        out.response.status = self.status_code().unwrap_or(example.response.status);
        out.response.reason = self.reason.trim().to_owned();
        out.response.headers.clone_from(&self.response_headers);
        out.response.headers.retain(|h| !h.name.trim().is_empty() || !h.value.is_empty());
        if let Some(text) = &self.response_body
            && body_text(example.response.body.as_ref()).as_ref() != Some(text)
        {
            out.response.body = text_body(text);
            out.response.size_bytes = text.len() as u64;
            out.response.wire_size_bytes = None;
            out.response.body_truncated = false;
        }
        out
    }
}

/// An open example: as saved, the response view of it, and the fields while it is edited.
pub struct ExampleTab {
    pub request: RequestId,
    /// The example as saved (what the read-only view shows).
    pub saved: SavedResponse,
    /// The response as the read-only view draws it (the body prepared in the background).
    pub view: ResponseView,
    /// `Some` while the user edits the example.
    pub editing: Option<ExampleFields>,
    /// The edits differ from the saved example.
    pub dirty: bool,
    pub request_section: ExampleRequestSection,
    pub response_section: ExampleResponseSection,
}

impl ExampleTab {
    pub fn new(request: RequestId, saved: SavedResponse) -> Self {
        let view = Self::view_of(&saved);
        Self {
            request,
            saved,
            view,
            editing: None,
            dirty: false,
            request_section: ExampleRequestSection::default(),
            response_section: ExampleResponseSection::default(),
        }
    }

    pub fn example(&self) -> ExampleId {
        self.saved.id
    }

    /// The example as the tab shows it: with its edits when edited.
    pub fn current(&self) -> SavedResponse {
        match &self.editing {
            Some(fields) => fields.applied_to(&self.saved),
            None => self.saved.clone(),
        }
    }

    fn view_of(example: &SavedResponse) -> ResponseView {
        ResponseView::from_record(
            &example.response,
            example.request.clone(),
            ResponseOrigin::Example(example.name.clone()),
        )
    }

    /// Shows `saved` (after a save, a rename, a change on disk); edits in progress are kept.
    pub fn set_saved(&mut self, saved: SavedResponse) {
        if saved.response != self.saved.response {
            self.view = Self::view_of(&saved);
        } else {
            self.view.origin = ResponseOrigin::Example(saved.name.clone());
        }
        self.saved = saved;
        self.refresh_dirty();
    }

    pub fn refresh_dirty(&mut self) {
        self.dirty = self.editing.as_ref().is_some_and(|f| f.applied_to(&self.saved) != self.saved);
    }
}
