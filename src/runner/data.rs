//! Data files: each row is the data scope of one iteration. A CSV file with a header row, or a
//! JSON array of objects (what newman and Postman's runner read).
//!
//! A file that cannot be read at all is an error before the run starts. A single bad row (a CSV
//! line with the wrong number of fields, a JSON element that is not an object) is kept as that
//! row's error: its iteration reports it on every request and the run goes on.

use std::path::Path;

use serde_json::Value;

/// One row: its values in column order, or why the row is unusable.
pub type Row = Result<Vec<(String, String)>, RowError>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataFile {
    /// Shown in results (the path as given).
    pub name: String,
    pub rows: Vec<Row>,
}

impl DataFile {
    /// The row of an iteration: iterations past the last row reuse the last row, as newman does.
    pub fn row(&self, iteration: u32) -> Option<&Row> {
        let i = usize::try_from(iteration).unwrap_or(usize::MAX).min(self.rows.len().saturating_sub(1));
        self.rows.get(i)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read the data file {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("the data file {path} is not valid JSON: {message}")]
    Json { path: String, message: String },
    #[error("the data file {path} must be a JSON array of objects (it is {found})")]
    NotArray { path: String, found: &'static str },
    #[error("the data file {path} is not valid CSV: {message}")]
    Csv { path: String, message: String },
    #[error("the data file {path} has no rows")]
    Empty { path: String },
}

/// Why one row of a data file is unusable. Rows count from 1, as a user counts them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    /// A CSV record that does not parse (the CSV reader's reason).
    #[error("row {row}: {reason}")]
    Csv { row: usize, reason: String },
    /// A CSV record with more or fewer fields than the header row.
    #[error("row {row} (line {line}) has {fields} fields; the header row has {columns}")]
    FieldCount { row: usize, line: usize, fields: usize, columns: usize },
    /// An element of the JSON array (at `index`, from 0) that is not an object; `found` says what
    /// it is.
    #[error("row {} (element [{index}]) is {found}, not an object", .index + 1)]
    NotObject { index: usize, found: &'static str },
}

/// Reads a data file; JSON when it starts with `[` or `{` (after whitespace or a BOM), CSV otherwise.
pub fn read(path: &Path) -> Result<DataFile, DataError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| DataError::Read { path: name.clone(), error })?;
    parse(&bytes, &name)
}

pub fn parse(bytes: &[u8], name: &str) -> Result<DataFile, DataError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    let rows =
        if matches!(first, Some(b'[' | b'{')) { json_rows(bytes, name)? } else { csv_rows(bytes, name)? };
    if rows.is_empty() {
        return Err(DataError::Empty { path: name.to_owned() });
    }
    Ok(DataFile { name: name.to_owned(), rows })
}

/// An element of a JSON data file: an object (its keys in file order) or anything else.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Element {
    Object(indexmap::IndexMap<String, Value>),
    Other(Value),
}

fn json_rows(bytes: &[u8], name: &str) -> Result<Vec<Row>, DataError> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| DataError::Json { path: name.to_owned(), message: e.to_string() })?;
    if !value.is_array() {
        return Err(DataError::NotArray { path: name.to_owned(), found: crate::interop::json_kind(&value) });
    }
    drop(value);
    // Read again, keeping each object's keys in the file's order (the columns of the row).
    let items: Vec<Element> = serde_json::from_slice(bytes)
        .map_err(|e| DataError::Json { path: name.to_owned(), message: e.to_string() })?;
    Ok(items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Element::Object(map) => Ok(map
                .into_iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (k, text)
                })
                .collect()),
            Element::Other(other) => {
                Err(RowError::NotObject { index: i, found: crate::interop::json_kind(&other) })
            }
        })
        .collect())
}

fn csv_rows(bytes: &[u8], name: &str) -> Result<Vec<Row>, DataError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| DataError::Csv { path: name.to_owned(), message: e.to_string() })?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = match record {
            Err(e) => Err(RowError::Csv { row: i + 1, reason: e.to_string() }),
            Ok(record) => {
                let line = record.position().map_or(i + 2, |p| usize::try_from(p.line()).unwrap_or(0));
                if record.len() == headers.len() {
                    Ok(headers.iter().cloned().zip(record.iter().map(str::to_owned)).collect())
                } else {
                    Err(RowError::FieldCount {
                        row: i + 1,
                        line,
                        fields: record.len(),
                        columns: headers.len(),
                    })
                }
            }
        };
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn csv_rows_with_quotes_and_a_bad_row() {
        let data = parse(b"id,name\n1,\"Ada, Countess\"\n2\n3,Linus\n", "d.csv").unwrap();
        assert_eq!(data.rows.len(), 3);
        assert_eq!(
            data.rows[0],
            Ok(vec![("id".into(), "1".into()), ("name".into(), "Ada, Countess".into())])
        );
        let short = RowError::FieldCount { row: 2, line: 3, fields: 1, columns: 2 };
        assert_eq!(short.to_string(), "row 2 (line 3) has 1 fields; the header row has 2");
        assert_eq!(data.rows[1], Err(short));
        assert!(data.rows[2].is_ok());
        // Past the last row, the last row is reused.
        assert_eq!(data.row(9), data.rows.last());
    }

    #[test]
    fn json_rows_take_text_of_any_value() {
        let data = parse(br#" [{"id": 1, "ok": true, "s": "x", "n": null}, 5]"#, "d.json").unwrap();
        assert_eq!(
            data.rows[0],
            Ok(vec![
                ("id".into(), "1".into()),
                ("ok".into(), "true".into()),
                ("s".into(), "x".into()),
                ("n".into(), String::new())
            ])
        );
        let number = RowError::NotObject { index: 1, found: "a number" };
        assert_eq!(number.to_string(), "row 2 (element [1]) is a number, not an object");
        assert_eq!(data.rows[1], Err(number));
    }

    #[test]
    fn unusable_files_name_the_file() {
        let e = parse(b"[{", "bad.json").unwrap_err().to_string();
        assert!(e.starts_with("the data file bad.json is not valid JSON"), "{e}");
        assert!(parse(br#"{"a":1}"#, "o.json").is_err());
        let e = parse(b"id\n", "empty.csv").unwrap_err().to_string();
        assert_eq!(e, "the data file empty.csv has no rows");
        let e = read(Path::new("/nonexistent/rows.csv")).unwrap_err().to_string();
        assert!(e.contains("/nonexistent/rows.csv"), "{e}");
    }
}
