//! The bundle's text: written with its header and checksum, read back and checked.

use std::fmt::Write as _;

use indexmap::IndexMap;
use serde::Deserialize;
use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;

use super::{
    BUNDLE_FORMAT, BundleContent, BundleError, BundleExtras, BundleHeader, BundleWorkspace, CLOSING,
    CONTENT_PREFIX, Contents, Counts, ExportOptions, FIRST_LINE, HEADER_PREFIX, Secrets, WorkspaceExtras,
    secret_variables,
};
use crate::interop::{Format, ImportError, Imported, Report};
use crate::model::WorkspaceData;

/// Writes a bundle's text (pure: no file system).
pub fn write(
    content: &BundleContent,
    contains: Contents,
    options: ExportOptions,
    created_at: OffsetDateTime,
) -> Result<(String, BundleHeader), BundleError> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false);
    let body = ron::ser::to_string_pretty(content, config).map_err(|e| BundleError::Encode(e.to_string()))?;
    let mut counts = Counts::default();
    for bw in &content.workspaces {
        counts.workspaces += 1;
        counts.of_workspace(&to_workspace_data(bw));
        counts.cookies += bw.cookies.as_ref().map_or(0, |j| j.cookies.len());
        counts.history += bw.history.len();
        counts.runs += bw.runs.len();
    }
    let header = BundleHeader {
        format: BUNDLE_FORMAT,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
        created_at,
        contains,
        counts,
        secrets: options.secrets,
        history_included: options.include_history,
        runs_included: options.include_runs,
        content_bytes: body.len() as u64,
        content_sha256: sha256_hex(body.as_bytes()),
    };
    let header_text = ron::ser::to_string(&header).map_err(|e| BundleError::Encode(e.to_string()))?;
    let mut text = String::with_capacity(body.len() + header_text.len() + 200);
    let _ = write!(text, "{FIRST_LINE}\n(\n{HEADER_PREFIX}{header_text},\n{CONTENT_PREFIX}{body}{CLOSING}");
    Ok((text, header))
}

pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in &digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Whether `bytes` look like a bundle (by content, never by file name).
pub fn detect(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 400)];
    head.starts_with(b"// Localpost backup bundle")
        || (head.starts_with(b"(")
            && head.windows(HEADER_PREFIX.len()).any(|w| w == HEADER_PREFIX.as_bytes()))
}

/// Reads a bundle, checking its format version, length and checksum.
pub fn read(bytes: &[u8]) -> Result<(BundleHeader, BundleContent), BundleError> {
    let text = std::str::from_utf8(bytes).map_err(|_| BundleError::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Only line endings can differ after a text-mode copy; the content never holds a raw CR.
    let normalized;
    let text = if text.contains("\r\n") {
        normalized = text.replace("\r\n", "\n");
        normalized.as_str()
    } else {
        text
    };
    let header_start = text
        .find(&format!("\n{HEADER_PREFIX}"))
        .ok_or_else(|| BundleError::Header("no `bundle:` line".into()))?
        + 1
        + HEADER_PREFIX.len();
    let header_end = text[header_start..]
        .find('\n')
        .map(|i| header_start + i)
        .ok_or_else(|| BundleError::Header("the file ends inside the header".into()))?;
    let header_line = text[header_start..header_end].trim_end().trim_end_matches(',');
    let header = parse_header(header_line)?;
    let rest = &text[header_end + 1..];
    let body = rest
        .strip_prefix(CONTENT_PREFIX)
        .ok_or_else(|| BundleError::Header("no `content:` after the header".into()))?;
    let Some(body) = body.strip_suffix(CLOSING) else {
        let found = body.trim_end().trim_end_matches([')', ',', '\n']).len() as u64;
        if found < header.content_bytes {
            return Err(BundleError::Truncated { expected: header.content_bytes, found });
        }
        return Err(BundleError::Content {
            line: text.lines().count(),
            column: 1,
            message: "the file does not end with the bundle's closing `)`".into(),
        });
    };
    if (body.len() as u64) < header.content_bytes {
        return Err(BundleError::Truncated { expected: header.content_bytes, found: body.len() as u64 });
    }
    let found = sha256_hex(body.as_bytes());
    if !found.eq_ignore_ascii_case(&header.content_sha256) {
        return Err(BundleError::Checksum { expected: header.content_sha256.clone(), found });
    }
    let content: BundleContent = ron::from_str(body).map_err(|e| {
        // Lines of the file: three before the content; the first content line starts mid-line.
        let line = e.span.start.line;
        let column = if line == 1 { e.span.start.col + CONTENT_PREFIX.len() } else { e.span.start.col };
        BundleError::Content { line: line + 3, column, message: e.code.to_string() }
    })?;
    Ok((header, content))
}

pub(super) fn parse_header(line: &str) -> Result<BundleHeader, BundleError> {
    #[derive(Deserialize)]
    struct Probe {
        format: u32,
        #[serde(default)]
        app_version: String,
    }
    match ron::from_str::<BundleHeader>(line) {
        Ok(h) if h.format > BUNDLE_FORMAT => Err(BundleError::NewerFormat {
            found: h.format,
            supported: BUNDLE_FORMAT,
            app_version: h.app_version,
        }),
        Ok(h) => Ok(h),
        Err(e) => match ron::from_str::<Probe>(line) {
            Ok(p) if p.format > BUNDLE_FORMAT => Err(BundleError::NewerFormat {
                found: p.format,
                supported: BUNDLE_FORMAT,
                app_version: p.app_version,
            }),
            _ => Err(BundleError::Header(format!("line 3, column {}: {}", e.span.start.col, e.code))),
        },
    }
}

/// Reads a bundle into the form every import takes.
pub fn import(bytes: &[u8]) -> Result<Imported, ImportError> {
    let (header, content) = read(bytes)?;
    let mut report = Report::default();
    if header.secrets == Secrets::Exclude {
        let secret_vars: usize =
            content.workspaces.iter().map(|bw| secret_variables(&to_workspace_data(bw)).count()).sum();
        if secret_vars > 0 {
            report.warn(
                "secrets",
                format!(
                    "the bundle was exported without secret values: {secret_vars} secret variables come without a value (values already here are kept)"
                ),
            );
        }
    }
    let mut workspaces = Vec::with_capacity(content.workspaces.len());
    let mut extras = IndexMap::new();
    for bw in content.workspaces {
        let data = to_workspace_data(&bw);
        extras.insert(
            data.id(),
            WorkspaceExtras {
                has_globals_file: bw.globals.is_some(),
                cookies: bw.cookies,
                history: bw.history,
                runs: bw.runs,
                file_names: bw.file_names.into_iter().collect(),
            },
        );
        workspaces.push(data);
    }
    Ok(Imported {
        format: Format::Bundle,
        workspaces,
        cookies: Vec::new(),
        report,
        bundle: Some(Box::new(BundleExtras { header, settings: content.settings, workspaces: extras })),
    })
}

pub(super) fn to_workspace_data(bw: &BundleWorkspace) -> WorkspaceData {
    let mut data = WorkspaceData::new(bw.workspace.clone());
    if let Some(g) = &bw.globals {
        data.globals = g.clone();
    }
    data.collections = bw.collections.iter().map(|c| (c.id, c.clone())).collect();
    data.folders = bw.folders.iter().map(|f| (f.id, f.clone())).collect();
    data.requests = bw.requests.iter().map(|r| (r.id, r.clone())).collect();
    data.environments = bw.environments.iter().map(|e| (e.id, e.clone())).collect();
    data.header_presets = bw.header_presets.iter().map(|p| (p.id, p.clone())).collect();
    data
}
