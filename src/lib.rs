//! Localpost: a local-only API client. Every piece of a user's work is a plain RON file in their
//! own data folder; there is no account, no sync and no telemetry.
//!
//! Layers, data flowing one way (see each module's doc):
//! [`model`] plain data; [`storage`] the data folder; [`vars`] variables; [`http`] the engine.

pub mod app;
pub mod cli;
pub mod http;
pub mod interop;
pub mod model;
pub mod policy;
pub mod runner;
pub mod script;
pub mod shell;
pub mod storage;
pub mod ui;
pub mod vars;
