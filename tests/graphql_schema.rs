//! The GraphQL schema library on real schemas: GitHub's public schema (introspection JSON and
//! SDL, from octokit/graphql-schema) and a loopback GraphQL server that answers the standard
//! introspection query with apollo-compiler's executor.

#![allow(clippy::unwrap_used)] // test code: a failure is a failed test

mod support;

use std::io::Read;
use std::path::Path;
use std::time::Instant;

use localpost::interop::graphql::{self, CompletionKind, INTROSPECTION_QUERY, Schema, SchemaError, TypeKind};
use support::{Reply, Server};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graphql").join(name);
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()).read_to_end(&mut out).unwrap();
    out
}

fn github() -> Schema {
    Schema::from_introspection(&fixture("github-schema.json.gz")).unwrap()
}

#[test]
fn github_introspection_result_loads_with_its_details() {
    let schema = github();
    let roots = schema.roots();
    assert_eq!(
        (roots.query.as_deref(), roots.mutation.as_deref(), roots.subscription),
        (Some("Query"), Some("Mutation"), None)
    );
    let types = schema.types();
    // 1,606 types in __schema.types, of which 8 are introspection types.
    assert_eq!(types.len(), 1598);
    assert_eq!((types[0].name.as_str(), types[1].name.as_str()), ("Query", "Mutation"));
    let repository =
        schema.type_info("Query").unwrap().fields.into_iter().find(|f| f.name == "repository").unwrap();
    let args: Vec<(&str, &str, Option<&str>)> = repository
        .args
        .iter()
        .map(|a| (a.name.as_str(), a.type_text.as_str(), a.default.as_deref()))
        .collect();
    assert_eq!(
        args,
        vec![
            ("owner", "String!", None),
            ("name", "String!", None),
            ("followRenames", "Boolean", Some("true"))
        ]
    );
    assert_eq!(repository.type_name, "Repository");
    let topic = schema
        .type_info("AcceptTopicSuggestionPayload")
        .unwrap()
        .fields
        .into_iter()
        .find(|f| f.name == "topic")
        .unwrap();
    assert_eq!(
        topic.deprecated.as_deref(),
        Some("Suggested topics are no longer supported Removal on 2024-04-01 UTC.")
    );
    let deprecated = types.iter().flat_map(|t| &t.fields).filter(|f| f.deprecated.is_some()).count();
    // 47 in the JSON, 3 of them on the introspection type __Directive.
    assert_eq!(deprecated, 44);
    let actor = schema.type_info("Actor").unwrap();
    assert_eq!(actor.kind, TypeKind::Interface);
    assert!(
        actor.possible_types.contains(&"User".to_owned()) && actor.possible_types.contains(&"Bot".to_owned())
    );
    assert_eq!(schema.type_info("URI").unwrap().kind, TypeKind::Scalar);
    assert!(schema.to_sdl().contains("directive @requiredCapabilities"));
}

#[test]
fn github_sdl_loads_and_both_forms_round_trip() {
    let from_json = github();
    let sdl = String::from_utf8(fixture("github-schema.graphql.gz")).unwrap();
    let from_sdl = Schema::from_sdl(&sdl).unwrap();
    // The package's SDL is a later snapshot than its JSON: 30 more types.
    assert_eq!(from_sdl.types().len(), 1628);
    // octokit's SDL (not its JSON) repeats two fields of EnterpriseOwnerInfo: kept once, and said.
    assert_eq!(from_sdl.warnings().len(), 2, "{:?}", from_sdl.warnings());
    assert!(from_sdl.warnings()[0].contains("repositoryDeployKeySetting"));
    assert!(from_json.warnings().is_empty());
    // Our SDL reads back to the same schema, descriptions and all.
    for schema in [&from_json, &from_sdl] {
        let again = Schema::from_sdl(&schema.to_sdl()).unwrap();
        assert!(again.warnings().is_empty());
        assert_eq!(again.types(), schema.types());
    }
}

#[test]
fn github_queries_validate_and_complete() {
    let schema = github();
    let query = r#"query Issues($owner: String!, $name: String!, $first: Int = 10) {
  repository(owner: $owner, name: $name) {
    nameWithOwner
    issues(first: $first, states: [OPEN], orderBy: {field: CREATED_AT, direction: DESC}) {
      totalCount
      nodes { number title author { login ... on User { name } } }
    }
  }
  viewer { login }
}"#;
    assert_eq!(graphql::validate(&schema, query), Vec::new());
    let bad = query.replace("totalCount", "totalCont").replace("states: [OPEN]", "states: [OPENED]");
    let found = graphql::validate(&schema, &bad);
    let places: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
    assert_eq!(places, vec![(4, 36), (5, 7)], "{found:#?}");
    assert_eq!(&bad[found[1].start..found[1].end], "totalCont");

    let cursor = query.find("totalCount").unwrap();
    let items = graphql::completions(&schema, query, cursor + 2);
    assert_eq!(items.items[0].label, "totalCount");
    assert_eq!(&query[items.replace.clone()], "totalCount");

    let typing = "query { repository(owner: \"a\", name: \"b\") { issues(states: [";
    let states = graphql::completions(&schema, typing, typing.len());
    let labels: Vec<&str> = states.items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, vec!["OPEN", "CLOSED"]);
    assert!(states.items.iter().all(|i| i.kind == CompletionKind::EnumValue));

    let problems = graphql::check_variables(&schema, query, None, r#"{"owner": "octokit", "first": "ten"}"#);
    let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(messages, vec!["$name is required (String!) but missing", "$first expects Int, got \"ten\""]);
}

/// How long completion takes on GitHub's schema (a figure printed for the note, not asserted):
/// `cargo test --release --test graphql_schema completion_speed -- --nocapture`.
#[test]
fn completion_speed_on_the_github_schema() {
    let schema = github();
    let mut query = String::from("query Q($owner: String!) {\n");
    for i in 0..200 {
        query.push_str(&format!("  r{i}: repository(owner: $owner, name: \"n{i}\") {{ nameWithOwner issues(first: 5) {{ nodes {{ title }} }} }}\n"));
    }
    query.push_str("  repository(owner: $owner, name: \"x\") { issues(first: 1) { nodes { ");
    let cursor = query.len();
    query.push_str(" } } }\n}\n");
    let started = Instant::now();
    let mut count = 0;
    for _ in 0..20 {
        count += graphql::completions(&schema, &query, cursor).items.len();
    }
    let per_completion = started.elapsed() / 20;
    let started = Instant::now();
    let filled = format!("{}title{}", &query[..cursor], &query[cursor..]);
    let diagnostics = graphql::validate(&schema, &filled);
    let validation = started.elapsed();
    println!(
        "GitHub schema, {} byte query: completion {per_completion:?} ({} items), validation {validation:?}",
        query.len(),
        count / 20
    );
    assert!(count / 20 > 50, "the Issue type has many fields");
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
}

const STAR_WARS: &str = r#"
"The root of all queries"
type Query {
  hero(episode: Episode = JEDI): Character
  search(text: String!): [SearchResult!]!
  matrix: [[[Int!]!]]!
}
enum Episode { NEWHOPE EMPIRE JEDI CLONES @deprecated(reason: "prequel") }
interface Character { id: ID! name: String friends(first: Int = 3): [Character] }
type Human implements Character { id: ID! name: String friends(first: Int = 3): [Character] height: Float @deprecated }
type Droid implements Character { id: ID! name: String friends(first: Int = 3): [Character] primaryFunction: String }
union SearchResult = Human | Droid
input ReviewInput { stars: Int! = 5, commentary: String, at: Date }
"A calendar date"
scalar Date @specifiedBy(url: "https://example.com/date")
type Mutation { review(episode: Episode!, review: ReviewInput!): Boolean }
directive @cached(ttl: Int = 60, scope: Episode) repeatable on FIELD | QUERY
"#;

/// A GraphQL server on 127.0.0.1 that answers introspection queries about `sdl`
/// (apollo-compiler's validation and executor), as a real endpoint does.
fn introspection_server(sdl: &'static str) -> Server {
    use apollo_compiler::introspection;
    use apollo_compiler::request::coerce_variable_values;
    use apollo_compiler::response::JsonMap;
    let schema = apollo_compiler::Schema::parse_and_validate(sdl, "served.graphql").unwrap();
    Server::start(move |request| {
        let body: serde_json::Value = match serde_json::from_str(&request.body_text()) {
            Ok(v) => v,
            Err(_) => return Reply::json(r#"{"errors":[{"message":"the body is not JSON"}]}"#),
        };
        let query = body["query"].as_str().unwrap_or_default();
        let document =
            match apollo_compiler::ExecutableDocument::parse_and_validate(&schema, query, "q.graphql") {
                Ok(d) => d,
                Err(e) => {
                    return Reply::json(
                        &serde_json::json!({"errors": [{"message": e.errors.to_string()}]}).to_string(),
                    );
                }
            };
        let operation = document.operations.get(body["operationName"].as_str()).unwrap();
        introspection::check_max_depth(&document, operation).unwrap();
        let variables = coerce_variable_values(&schema, operation, &JsonMap::default()).unwrap();
        let response = introspection::partial_execute(
            &schema,
            &schema.implementers_map(),
            &document,
            operation,
            &variables,
        )
        .unwrap();
        Reply::json(&serde_json::to_string(&response).unwrap())
    })
}

fn introspect(server: &Server) -> Vec<u8> {
    let client = reqwest::blocking::Client::new();
    let body = serde_json::json!({"query": INTROSPECTION_QUERY, "operationName": "IntrospectionQuery"});
    client
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .unwrap()
        .bytes()
        .unwrap()
        .to_vec()
}

#[test]
fn introspection_from_a_loopback_server_gives_back_the_served_schema() {
    let server = introspection_server(STAR_WARS);
    let answer = introspect(&server);
    assert!(answer.starts_with(br#"{"data":{"__schema":"#), "{}", String::from_utf8_lossy(&answer[..80]));
    let fetched = Schema::from_introspection(&answer).unwrap();
    let served = Schema::from_sdl(STAR_WARS).unwrap();
    assert_eq!(fetched.types(), served.types());
    assert_eq!(fetched.roots(), served.roots());
    let sdl = fetched.to_sdl();
    assert!(sdl.contains("matrix: [[[Int!]!]]!"), "{sdl}");
    assert!(sdl.contains("directive @cached(ttl: Int = 60, scope: Episode) on FIELD | QUERY"), "{sdl}");
    assert_eq!(
        fetched.type_info("Human").unwrap().fields[3].deprecated.as_deref(),
        Some("No longer supported")
    );
    assert_eq!(fetched.type_info("Date").unwrap().description.as_deref(), Some("A calendar date"));
    // The query itself is valid against the introspection schema of a real executor.
    assert!(server.last().body_text().contains("IntrospectionQuery"));
}

#[test]
fn endpoints_that_do_not_answer_with_a_schema_get_clear_messages() {
    let html =
        Server::start(|_| Reply::text(200, "<!DOCTYPE html>\n<html><body><h1>Welcome</h1></body></html>"));
    assert_eq!(Schema::from_introspection(&introspect(&html)).unwrap_err(), SchemaError::Html);

    let disabled =
        Server::start(|_| Reply::json(r#"{"errors":[{"message":"GraphQL introspection is not allowed"}]}"#));
    let err = Schema::from_introspection(&introspect(&disabled)).unwrap_err();
    assert_eq!(err.to_string(), "the server answered with errors: GraphQL introspection is not allowed");

    let rest = Server::start(|_| Reply::json(r#"{"data":{"items":[]}}"#));
    let err = Schema::from_introspection(&introspect(&rest)).unwrap_err();
    assert_eq!(err.to_string(), "the response has no data.__schema: is this a GraphQL endpoint?");

    let truncated = Server::start(|_| Reply::json("{\"data\":{\"__schema\":{\"types\":[{\"kind\""));
    let err = Schema::from_introspection(&introspect(&truncated)).unwrap_err();
    assert!(err.to_string().starts_with("the response is not JSON (line 1, column 37)"), "{err}");
}
