//! Security schemes as auth, their credentials as collection variables.

use indexmap::IndexMap;

use super::Spec;
use crate::interop::Format;
use crate::interop::foreign::node::Node;
use crate::model::{ApiKeyLocation, Auth, DigestAuth, OAuth2Auth, OAuth2Grant};

impl<'a> Spec<'a> {
    /// Auth from a list of security requirements (alternatives; the first is used).
    pub(super) fn security(&mut self, list: &'a Node, location: &str) -> Option<Auth> {
        let requirements = list.items();
        let first = requirements.first()?;
        if requirements.len() > 1 {
            let names: Vec<String> = requirements
                .iter()
                .skip(1)
                .flat_map(|r| r.entries().iter().map(|(k, _)| k.clone()))
                .collect();
            if !names.is_empty() {
                self.report.warn(
                    location,
                    format!("alternative security schemes not used: {} (the first one is)", names.join(", ")),
                );
            }
        }
        let entries = first.entries();
        let Some((name, scopes)) = entries.first() else { return Some(Auth::None) };
        if entries.len() > 1 {
            let rest: Vec<&str> = entries.iter().skip(1).map(|(k, _)| k.as_str()).collect();
            self.report.warn(
                location,
                format!("security needs {} together; only `{name}` is set up", rest.join(", ")),
            );
        }
        let schemes = if self.format == Format::Swagger2 {
            self.root.at("securityDefinitions")
        } else {
            self.root.at("components").at("securitySchemes")
        };
        let Some(scheme) = schemes.get(name) else {
            self.report.warn(location, format!("security scheme `{name}` is not defined in the document"));
            return Some(Auth::Inherit);
        };
        let scheme = self.resolve(scheme, location);
        let scopes: Vec<String> = scopes.items().iter().map(Node::to_text).collect();
        Some(self.scheme_auth(name, scheme, &scopes, location))
    }

    pub(super) fn var(&mut self, name: &str, description: &str) -> String {
        self.variables.entry(name.to_owned()).or_insert((String::new(), description.to_owned()));
        format!("{{{{{name}}}}}")
    }

    pub(super) fn scheme_auth(
        &mut self,
        name: &str,
        scheme: &'a Node,
        scopes: &[String],
        location: &str,
    ) -> Auth {
        let kind = scheme.text("type");
        match kind.as_str() {
            "basic" => Auth::Basic {
                username: self.var("username", "basic auth"),
                password: self.var("password", "basic auth"),
            },
            "http" => match scheme.text("scheme").to_ascii_lowercase().as_str() {
                "basic" => Auth::Basic {
                    username: self.var("username", "basic auth"),
                    password: self.var("password", "basic auth"),
                },
                "bearer" => Auth::Bearer { token: self.var("bearerToken", &scheme.text("bearerFormat")) },
                "digest" => Auth::Digest(DigestAuth {
                    username: self.var("username", "digest auth"),
                    password: self.var("password", "digest auth"),
                    ..DigestAuth::default()
                }),
                other => {
                    self.report.warn(
                        location,
                        format!("HTTP `{other}` auth (scheme `{name}`) is kept but Localpost cannot send it"),
                    );
                    Auth::Unsupported { kind: format!("http {other}"), params: IndexMap::new() }
                }
            },
            "apiKey" => {
                let value = self.var(name, &format!("API key ({})", scheme.text("name")));
                match scheme.str("in") {
                    Some("query") => {
                        Auth::ApiKey { key: scheme.text("name"), value, location: ApiKeyLocation::Query }
                    }
                    Some("cookie") => {
                        self.report.warn(location, format!("API key `{name}` goes in a cookie: kept but Localpost sends API keys in a header or query"));
                        let mut params = IndexMap::new();
                        params.insert("name".to_owned(), scheme.text("name"));
                        params.insert("value".to_owned(), value);
                        params.insert("in".to_owned(), "cookie".to_owned());
                        Auth::Unsupported { kind: "apikey".into(), params }
                    }
                    _ => Auth::ApiKey { key: scheme.text("name"), value, location: ApiKeyLocation::Header },
                }
            }
            "oauth2" => Auth::OAuth2(self.oauth2(name, scheme, scopes, location)),
            "openIdConnect" => {
                self.report.warn(
                    location,
                    format!(
                        "OpenID Connect (`{name}`): set the authorization and token URLs from {}",
                        scheme.text("openIdConnectUrl")
                    ),
                );
                Auth::OAuth2(OAuth2Auth {
                    grant: OAuth2Grant::AuthorizationCodePkce,
                    client_id: self.var("clientId", "OAuth 2.0 client"),
                    scope: scopes.join(" "),
                    code_challenge_method: "S256".into(),
                    ..OAuth2Auth::default()
                })
            }
            "mutualTLS" => {
                self.report
                    .warn(location, "mutual TLS: add the client certificate in Settings → Certificates");
                Auth::None
            }
            other => {
                self.report
                    .warn(location, format!("security scheme `{name}` of type `{other}` not understood"));
                Auth::Unsupported { kind: other.to_owned(), params: IndexMap::new() }
            }
        }
    }

    pub(super) fn oauth2(
        &mut self,
        name: &str,
        scheme: &'a Node,
        scopes: &[String],
        location: &str,
    ) -> OAuth2Auth {
        let (flow, grant) = if self.format == Format::Swagger2 {
            let grant = match scheme.str("flow") {
                Some("implicit") => OAuth2Grant::Implicit,
                Some("password") => OAuth2Grant::Password,
                Some("application") => OAuth2Grant::ClientCredentials,
                _ => OAuth2Grant::AuthorizationCode,
            };
            (scheme, grant)
        } else {
            let flows = scheme.at("flows");
            let Some((flow_name, flow)) = flows.entries().first() else {
                self.report.warn(location, format!("OAuth 2.0 scheme `{name}` has no flows"));
                return OAuth2Auth::default();
            };
            if flows.entries().len() > 1 {
                let others: Vec<&str> = flows.entries().iter().skip(1).map(|(k, _)| k.as_str()).collect();
                self.report.warn(
                    location,
                    format!(
                        "OAuth 2.0 `{name}`: the `{flow_name}` flow is used; also offered: {}",
                        others.join(", ")
                    ),
                );
            }
            let grant = match flow_name.as_str() {
                "implicit" => OAuth2Grant::Implicit,
                "password" => OAuth2Grant::Password,
                "clientCredentials" => OAuth2Grant::ClientCredentials,
                _ => OAuth2Grant::AuthorizationCode,
            };
            (flow, grant)
        };
        let scope = if scopes.is_empty() {
            flow.at("scopes").entries().iter().map(|(k, _)| k.clone()).collect::<Vec<_>>().join(" ")
        } else {
            scopes.join(" ")
        };
        let needs_secret = !matches!(grant, OAuth2Grant::Implicit);
        OAuth2Auth {
            grant,
            access_token_url: flow.text("tokenUrl"),
            auth_url: flow.text("authorizationUrl"),
            client_id: self.var("clientId", "OAuth 2.0 client"),
            client_secret: if needs_secret {
                self.var("clientSecret", "OAuth 2.0 client")
            } else {
                String::new()
            },
            username: if grant == OAuth2Grant::Password {
                self.var("username", "OAuth 2.0 password grant")
            } else {
                String::new()
            },
            password: if grant == OAuth2Grant::Password {
                self.var("password", "OAuth 2.0 password grant")
            } else {
                String::new()
            },
            scope,
            ..OAuth2Auth::default()
        }
    }
}
