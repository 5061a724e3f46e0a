//! Colours and spacing in one place.

use egui::{Color32, Context, Visuals};

use crate::model::Method;

/// Applies Localpost's look on top of egui's light and dark themes.
pub fn install(ctx: &Context) {
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 5.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
        style.spacing.interact_size.y = 22.0;
    });
}

pub fn method_color(method: &Method, visuals: &Visuals) -> Color32 {
    let dark = visuals.dark_mode;
    let (d, l) = match method {
        Method::Get => (Color32::from_rgb(107, 221, 154), Color32::from_rgb(0, 127, 49)),
        Method::Post => (Color32::from_rgb(255, 228, 127), Color32::from_rgb(173, 122, 3)),
        Method::Put => (Color32::from_rgb(116, 174, 246), Color32::from_rgb(9, 87, 160)),
        Method::Patch => (Color32::from_rgb(192, 168, 225), Color32::from_rgb(98, 52, 151)),
        Method::Delete => (Color32::from_rgb(247, 154, 142), Color32::from_rgb(142, 26, 16)),
        Method::Head | Method::Options | Method::Trace | Method::Connect => {
            (Color32::from_rgb(110, 185, 180), Color32::from_rgb(0, 104, 96))
        }
        Method::Custom(badge) if badge == crate::model::websocket::WEBSOCKET_BADGE => {
            (Color32::from_rgb(255, 176, 102), Color32::from_rgb(168, 72, 0))
        }
        Method::Custom(_) => (Color32::from_rgb(180, 180, 180), Color32::from_rgb(90, 90, 90)),
    };
    if dark { d } else { l }
}

pub fn status_color(status: u16, visuals: &Visuals) -> Color32 {
    let dark = visuals.dark_mode;
    match status {
        200..=299 => {
            if dark {
                Color32::from_rgb(107, 221, 154)
            } else {
                Color32::from_rgb(0, 127, 49)
            }
        }
        300..=399 => {
            if dark {
                Color32::from_rgb(116, 174, 246)
            } else {
                Color32::from_rgb(9, 87, 160)
            }
        }
        _ => error_color(visuals),
    }
}

pub fn error_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(247, 120, 108) } else { Color32::from_rgb(190, 30, 20) }
}

pub fn ok_color(visuals: &Visuals) -> Color32 {
    status_color(200, visuals)
}

/// A WebSocket log row's arrow and, for connection events, its text.
pub fn ws_entry_color(kind: crate::app::ws::log::EntryKind, visuals: &Visuals) -> Color32 {
    use crate::app::ws::log::{EntryKind, EventKind};
    let dark = visuals.dark_mode;
    match kind {
        EntryKind::Sent => {
            if dark {
                Color32::from_rgb(255, 196, 112)
            } else {
                Color32::from_rgb(168, 90, 0)
            }
        }
        EntryKind::Received => {
            if dark {
                Color32::from_rgb(120, 190, 255)
            } else {
                Color32::from_rgb(0, 90, 180)
            }
        }
        EntryKind::Event(EventKind::Connected) => ok_color(visuals),
        EntryKind::Event(EventKind::Error) => error_color(visuals),
        EntryKind::Event(EventKind::Closed) => visuals.warn_fg_color,
        EntryKind::Event(EventKind::Connecting | EventKind::Info) => muted(visuals),
    }
}

/// A `{{variable}}` that resolves.
pub fn variable_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(97, 196, 220) } else { Color32::from_rgb(0, 110, 150) }
}

/// A `{{variable}}` that does not resolve.
pub fn unresolved_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(255, 85, 85) } else { Color32::from_rgb(210, 0, 0) }
}

pub fn muted(visuals: &Visuals) -> Color32 {
    visuals.weak_text_color()
}

/// A list's selected row: the selection colour while the list has the keyboard, fainter when not.
pub fn row_selected_fill(visuals: &Visuals, focused: bool) -> Color32 {
    if focused { visuals.selection.bg_fill } else { visuals.selection.bg_fill.gamma_multiply(0.4) }
}

/// A list's row under the pointer.
pub fn row_hover_fill(visuals: &Visuals) -> Color32 {
    visuals.widgets.hovered.weak_bg_fill.gamma_multiply(0.5)
}

/// JSON syntax colours: key, string, number, literal (true/false/null), punctuation.
pub struct JsonColors {
    pub key: Color32,
    pub string: Color32,
    pub number: Color32,
    pub literal: Color32,
    pub punct: Color32,
}

pub fn json_colors(visuals: &Visuals) -> JsonColors {
    if visuals.dark_mode {
        JsonColors {
            key: Color32::from_rgb(156, 220, 254),
            string: Color32::from_rgb(206, 145, 120),
            number: Color32::from_rgb(181, 206, 168),
            literal: Color32::from_rgb(86, 156, 214),
            punct: Color32::from_gray(170),
        }
    } else {
        JsonColors {
            key: Color32::from_rgb(4, 81, 165),
            string: Color32::from_rgb(163, 21, 21),
            number: Color32::from_rgb(9, 134, 88),
            literal: Color32::from_rgb(0, 0, 255),
            punct: Color32::from_gray(80),
        }
    }
}

/// JavaScript syntax colours of the script editor.
pub struct CodeColors {
    pub plain: Color32,
    pub keyword: Color32,
    pub string: Color32,
    pub number: Color32,
    pub comment: Color32,
    /// `pm`, Postman's API object.
    pub pm: Color32,
    pub punct: Color32,
}

pub fn code_colors(visuals: &Visuals) -> CodeColors {
    let json = json_colors(visuals);
    if visuals.dark_mode {
        CodeColors {
            plain: visuals.text_color(),
            keyword: Color32::from_rgb(197, 134, 192),
            string: json.string,
            number: json.number,
            comment: Color32::from_rgb(106, 153, 85),
            pm: Color32::from_rgb(255, 140, 60),
            punct: json.punct,
        }
    } else {
        CodeColors {
            plain: visuals.text_color(),
            keyword: Color32::from_rgb(175, 0, 219),
            string: json.string,
            number: json.number,
            comment: Color32::from_rgb(0, 128, 0),
            pm: Color32::from_rgb(200, 80, 0),
            punct: json.punct,
        }
    }
}

/// The line-number gutter of the script editor.
pub fn gutter_fill(visuals: &Visuals) -> Color32 {
    visuals.faint_bg_color
}

/// The background of a script line that stopped on an error.
pub fn error_line_fill(visuals: &Visuals) -> Color32 {
    error_color(visuals).gamma_multiply(0.18)
}

/// A test that passed, failed or was skipped.
pub fn test_color(status: crate::script::TestStatus, visuals: &Visuals) -> Color32 {
    match status {
        crate::script::TestStatus::Passed => ok_color(visuals),
        crate::script::TestStatus::Failed => error_color(visuals),
        crate::script::TestStatus::Skipped => skipped_color(visuals),
    }
}

/// Something skipped: neither passed nor failed.
pub fn skipped_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode { Color32::from_rgb(150, 160, 175) } else { Color32::from_rgb(105, 112, 125) }
}

/// A console line by level.
pub fn console_color(level: crate::app::scripts::ConsoleLevel, visuals: &Visuals) -> Color32 {
    use crate::app::scripts::ConsoleLevel;
    match level {
        ConsoleLevel::Log => visuals.text_color(),
        ConsoleLevel::Info => variable_color(visuals),
        ConsoleLevel::Warn => visuals.warn_fg_color,
        ConsoleLevel::Error => error_color(visuals),
        ConsoleLevel::Request => muted(visuals),
    }
}

#[cfg(test)]
mod tests {
    /// Every non-ASCII character the UI writes has a glyph in the bundled fonts (a missing one
    /// shows as a box to the user).
    #[test]
    fn every_symbol_the_ui_uses_has_a_glyph() {
        let ctx = egui::Context::default();
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut missing = Vec::new();
        let mut dirs = vec![root.join("ui"), root.join("app")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for c in text.chars().filter(|c| !c.is_ascii()) {
                    let font = egui::FontId::proportional(13.0);
                    if !ctx.fonts_mut(|f| f.has_glyph(&font, c)) && !missing.contains(&(c, path.clone())) {
                        missing.push((c, path.clone()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "no glyph for: {missing:?}");
    }
}
