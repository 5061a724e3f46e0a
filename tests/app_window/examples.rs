//! Saved examples: listed, opened, renamed, deleted, duplicated and tried.
