//! The sidebar by keyboard, and history searched and grouped by day.
