//! Runner results that open, and the past-run panel laid out in full.
