//! Descriptions rendered as Markdown, and the Save dialog's new collection named inline.
