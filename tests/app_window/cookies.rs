//! The cookie manager and the response's Cookies tab.
