//! The model: plain data for everything a user owns. No egui, no reqwest, no file system.
//!
//! Entities carry stable ids ([`ids`]); containers list their children's order by id. Secret
//! variable values live in the same structs in memory; [`crate::storage`] keeps them out of
//! shareable files.

pub mod auth;
pub mod checks;
pub mod collection;
pub mod cookie;
pub mod examples;
pub mod format;
pub mod history;
pub mod ids;
pub mod kept;
pub mod kv;
pub mod masked;
pub mod request;
pub mod response;
pub mod run;
pub mod scripts;
pub mod sent_body;
pub mod settings;
pub mod template;
pub mod tree;
pub mod url_text;
pub mod variables;
pub mod websocket;
pub mod workspace;

pub use auth::{
    ApiKeyLocation, AsapAuth, Auth, AwsSigV4Auth, DigestAuth, EdgeGridAuth, HawkAlgorithm, HawkAuth,
    JwtAlgorithm, JwtAuth, NtlmAuth, OAuth1Auth, OAuth1Method, OAuth2Auth, OAuth2ClientAuth, OAuth2Grant,
};
pub use checks::{Assertion, Capture, CaptureScope, CaptureSource, Check};
pub use collection::{Collection, Container, ContainerId, Folder};
pub use cookie::{Cookie, CookieJar};
pub use format::Format;
pub use history::HistoryEntry;
pub use ids::{
    CollectionId, EnvironmentId, ExampleId, FolderId, GlobalsId, HistoryId, ItemId, MessageId, ParentId,
    PresetId, RequestId, RunId, VariableId, WorkspaceId,
};
pub use kept::{KeptExchange, ResponseKept};
pub use kv::{Header, KeyValue, find_header, set_header};
pub use request::{
    Body, BodyMode, FormPart, FormPartKind, GraphQlBody, Method, RawLanguage, Request, RequestSettings,
};
pub use response::{ResponseRecord, SavedResponse, SentRequest, StoredBody, capped_body};
pub use run::{AssertionOutcome, RequestOutcome, RunEnvironment, RunResult, RunTarget, ScriptCounts};
pub use scripts::Scripts;
pub use settings::{ClientCertificate, MinTls, ProxySetting, Settings, Theme};
pub use tree::{Edit, TreeError, TreeWrite};
pub use variables::{Environment, Globals, Variable};
pub use websocket::{MessageFormat, ReconnectSettings, RequestKind, SavedMessage, WebSocketSettings};
pub use workspace::{HeaderPreset, Library, Workspace, WorkspaceData};
