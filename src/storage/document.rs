//! One entity, one file: the RON envelope `(format: N, <kind>: (...))` every file carries,
//! parsing with precise errors, unknown-field reports, and the migration hook.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::{MigrationError, ProblemKind};
use crate::model::{
    Collection, Environment, Folder, Globals, HeaderPreset, HistoryEntry, Request, RunResult, Workspace,
};

/// The format written by this version. Bump it with a step in [`MIGRATIONS`].
pub const FORMAT_VERSION: u32 = 1;

/// A kind of entity file. `KEY` is the field that holds the entity in the envelope.
pub trait Document: Serialize + DeserializeOwned {
    const KEY: &'static str;
}

macro_rules! document {
    ($ty:ty, $key:literal) => {
        impl Document for $ty {
            const KEY: &'static str = $key;
        }
    };
}

document!(Workspace, "workspace");
document!(Collection, "collection");
document!(Folder, "folder");
document!(Request, "request");
document!(Environment, "environment");
document!(Globals, "globals");
document!(HeaderPreset, "header_preset");
document!(HistoryEntry, "history_entry");
document!(RunResult, "run");
document!(crate::model::CookieJar, "cookie_jar");
document!(crate::model::Settings, "settings");

/// The top-level file of a data folder: the format and the user's order of workspaces.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FolderIndex {
    #[serde(default)]
    pub workspaces: Vec<crate::model::WorkspaceId>,
}
document!(FolderIndex, "data_folder");

/// Secret variable values, keyed by variable id. Lives outside the shareable files.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecretValues {
    #[serde(default)]
    pub values: std::collections::BTreeMap<crate::model::VariableId, String>,
}

/// Which variables have a secret value; never the values.
impl std::fmt::Debug for SecretValues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretValues").field("ids", &self.values.keys().collect::<Vec<_>>()).finish()
    }
}
document!(SecretValues, "secrets");

/// Writes `entity` as its file's text.
pub fn to_text<T: Document>(entity: &T) -> Result<String, ron::Error> {
    struct Envelope<'a, T>(&'a T);
    impl<T: Document> Serialize for Envelope<'_, T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeStruct;
            let mut st = s.serialize_struct("Document", 2)?;
            st.serialize_field("format", &FORMAT_VERSION)?;
            st.serialize_field(T::KEY, self.0)?;
            st.end()
        }
    }
    let mut text = to_pretty(&Envelope(entity))?;
    text.push('\n');
    Ok(text)
}

/// Any value in the layout of the data folder's files (without the envelope).
pub fn to_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .separate_tuple_members(false)
        .enumerate_arrays(false);
    ron::ser::to_string_pretty(value, config)
}

/// A successfully read file.
#[derive(Debug)]
pub struct Parsed<T> {
    pub entity: T,
    /// Dotted paths of fields this version does not know.
    pub unknown_fields: Vec<String>,
    /// A hash of the file's bytes as read, to notice when another program changes it.
    pub fingerprint: u64,
}

/// A hash of a file's bytes (stable within and across runs).
pub fn fingerprint(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// Reads a file's text as entity `T`, checking the format version.
pub fn from_text<T: Document>(text: &str) -> Result<Parsed<T>, ProblemKind> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match parse_current::<T>(text) {
        Ok((format, parsed)) if format == FORMAT_VERSION => Ok(parsed),
        Ok((format, _)) if format > FORMAT_VERSION => {
            Err(ProblemKind::NewerFormat { found: format, supported: FORMAT_VERSION })
        }
        Ok((format, _)) => migrate_text::<T>(text, format, MIGRATIONS),
        Err(parse_error) => {
            // A newer format may well not parse as today's shape: say so rather than
            // reporting the first unfamiliar field.
            match probe_format(text) {
                Some(found) if found > FORMAT_VERSION => {
                    Err(ProblemKind::NewerFormat { found, supported: FORMAT_VERSION })
                }
                Some(found) if found < FORMAT_VERSION => migrate_text::<T>(text, found, MIGRATIONS),
                _ => Err(parse_error),
            }
        }
    }
}

struct Envelope<T> {
    format: Option<u32>,
    entity: Option<T>,
}

impl<'de, T: Document> Deserialize<'de> for Envelope<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Document> serde::de::Visitor<'de> for V<T> {
            type Value = Envelope<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "a Localpost file `(format: {FORMAT_VERSION}, {}: (...))`", T::KEY)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Envelope { format: None, entity: None };
                while let Some(key) = map.next_key::<String>()? {
                    if key == "format" {
                        out.format = Some(map.next_value()?);
                    } else if key == T::KEY {
                        if out.entity.is_some() {
                            return Err(serde::de::Error::duplicate_field(T::KEY));
                        }
                        out.entity = Some(map.next_value()?);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        return Err(serde::de::Error::custom(format!(
                            "unexpected field `{key}`: this file should hold a {}",
                            T::KEY
                        )));
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_struct("Document", &["format"], V(std::marker::PhantomData))
    }
}

fn parse_current<T: Document>(text: &str) -> Result<(u32, Parsed<T>), ProblemKind> {
    let mut unknown_fields = Vec::new();
    let mut de = ron::Deserializer::from_str(text).map_err(spanned)?;
    let envelope: Envelope<T> = serde_ignored::deserialize(&mut de, |path| {
        unknown_fields.push(path.to_string());
    })
    .map_err(|e| spanned(de.span_error(e)))?;
    de.end().map_err(|e| spanned(de.span_error(e)))?;
    let format = envelope.format.ok_or_else(|| ProblemKind::Parse {
        line: 1,
        column: 1,
        message: "missing `format`: not a Localpost file".into(),
    })?;
    let entity = envelope.entity.ok_or_else(|| ProblemKind::Parse {
        line: 1,
        column: 1,
        message: format!("missing `{}`: this file should hold a {}", T::KEY, T::KEY),
    })?;
    Ok((format, Parsed { entity, unknown_fields, fingerprint: 0 }))
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(spanned)`
fn spanned(e: ron::error::SpannedError) -> ProblemKind {
    ProblemKind::Parse { line: e.span.start.line, column: e.span.start.col, message: e.code.to_string() }
}

/// The `format` of a file that did not parse as today's shape, if it is readable at all.
fn probe_format(text: &str) -> Option<u32> {
    #[derive(Deserialize)]
    struct Probe {
        format: u32,
    }
    ron::from_str::<Probe>(text).ok().map(|p| p.format)
}

/// One upgrade step: turns a file's value in format `from` into format `from + 1`.
pub struct Migration {
    pub from: u32,
    /// The entity kind it applies to (`Document::KEY`), or `None` for every kind.
    pub kind: Option<&'static str>,
    pub apply: fn(&mut ron::Value) -> Result<(), MigrationError>,
}

/// Every upgrade step, oldest first. Empty while format 1 is the only one.
pub const MIGRATIONS: &[Migration] = &[];

/// Upgrades `text` written in format `from` to the current format through `steps`.
pub fn migrate_text<T: Document>(
    text: &str,
    from: u32,
    steps: &[Migration],
) -> Result<Parsed<T>, ProblemKind> {
    let mut value: ron::Value = ron::from_str(text).map_err(spanned)?;
    let mut version = from;
    while version < FORMAT_VERSION {
        let step = steps
            .iter()
            .find(|s| s.from == version && s.kind.is_none_or(|k| k == T::KEY))
            .ok_or(ProblemKind::Migration(MigrationError::NoStep { from: version }))?;
        (step.apply)(&mut value).map_err(ProblemKind::Migration)?;
        version += 1;
    }
    if let ron::Value::Map(map) = &mut value {
        map.insert(ron::Value::String("format".into()), ron::Value::Number(FORMAT_VERSION.into()));
    }
    let envelope: Envelope<T> = value
        .into_rust()
        .map_err(|error| ProblemKind::Migration(MigrationError::Decode { error: Box::new(error) }))?;
    let entity = envelope.entity.ok_or(ProblemKind::Migration(MigrationError::NoEntity { key: T::KEY }))?;
    Ok(Parsed { entity, unknown_fields: Vec::new(), fingerprint: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Method, Request};

    #[test]
    fn round_trips_with_envelope() {
        let req =
            Request::new("List users").with_method(Method::Custom("PURGE".into())).with_url("{{base}}/u");
        let text = to_text(&req).unwrap();
        assert!(text.starts_with("(\n    format: 1,\n    request: ("), "{text}");
        let back = from_text::<Request>(&text).unwrap();
        assert_eq!(back.entity, req);
        assert!(back.unknown_fields.is_empty());
    }

    #[test]
    fn reports_unknown_fields_by_path() {
        let req = Request::new("x");
        let text = to_text(&req).unwrap().replacen("name:", "colour: \"red\",\n        name:", 1);
        let back = from_text::<Request>(&text).unwrap();
        assert_eq!(back.unknown_fields, vec!["request.colour".to_owned()]);
    }

    #[test]
    fn newer_format_is_refused_even_when_shape_changed() {
        let text = "(format: 7, request: (totally: \"different\"))";
        assert_eq!(
            from_text::<Request>(text).unwrap_err(),
            ProblemKind::NewerFormat { found: 7, supported: FORMAT_VERSION }
        );
    }

    #[test]
    fn migration_hook_upgrades_old_files() {
        fn rename_title(v: &mut ron::Value) -> Result<(), MigrationError> {
            let ron::Value::Map(top) = v else {
                return Err(MigrationError::Shape { at: "the file", expected: "a map" });
            };
            let Some(ron::Value::Map(req)) = top.get_mut(&ron::Value::String("request".into())) else {
                return Err(MigrationError::MissingField { field: "request" });
            };
            let title = req
                .remove(&ron::Value::String("title".into()))
                .ok_or(MigrationError::MissingField { field: "request.title" })?;
            req.insert(ron::Value::String("name".into()), title);
            Ok(())
        }
        let id = crate::model::RequestId::new();
        let old = format!("(format: 0, request: (id: \"{id}\", title: \"Old\"))");
        let steps = [Migration { from: 0, kind: Some("request"), apply: rename_title }];
        let parsed = migrate_text::<Request>(&old, 0, &steps).unwrap();
        assert_eq!(parsed.entity.name, "Old");
        assert_eq!(parsed.entity.id, id);
        // Without a step for it, an old format is a clear error, not a guess.
        assert_eq!(
            from_text::<Request>(&old).unwrap_err(),
            ProblemKind::Migration(MigrationError::NoStep { from: 0 })
        );
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let err = from_text::<Request>("(\n    format: 1,\n    request: (id: 12\n").unwrap_err();
        let ProblemKind::Parse { line, .. } = err else { panic!("{err:?}") };
        assert_eq!(line, 3);
    }
}
