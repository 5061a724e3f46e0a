//! Tabs: the overflow list, scroll buttons, close others / to the right, preview tabs; the editor's height.
