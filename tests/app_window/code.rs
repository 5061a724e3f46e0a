//! The Code panel: a snippet of the open request in the language picked, copied as shown.
