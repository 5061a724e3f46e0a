//! Unit tests on a small Star Wars schema (the one from the GraphQL specification's examples).

use super::*;

pub(super) const STAR_WARS: &str = r#"
schema { query: Query mutation: Mutation }

"The episodes in the Star Wars trilogy"
enum Episode {
  "Released in 1977."
  NEWHOPE
  EMPIRE
  JEDI
  CLONES @deprecated(reason: "Not in the trilogy")
}

"A character in the Star Wars Trilogy"
interface Character {
  id: ID!
  name: String
  friends: [Character]
  appearsIn: [Episode]
}

type Human implements Character {
  id: ID!
  name: String
  friends: [Character]
  appearsIn: [Episode]
  homePlanet: String
  height(unit: LengthUnit = METER): Float
  mass: Float @deprecated(reason: "Use weight")
}

type Droid implements Character {
  id: ID!
  name: String
  friends: [Character]
  appearsIn: [Episode]
  primaryFunction: String
}

enum LengthUnit { METER FOOT }

union SearchResult = Human | Droid

type Query {
  "The hero of an episode, or of the whole saga"
  hero(episode: Episode): Character
  human(id: ID!): Human
  droid(id: ID!): Droid
  search(text: String!, first: Int = 10): [SearchResult!]!
}

input ReviewInput {
  stars: Int!
  commentary: String
  tags: [String!]
}

type Review { episode: Episode, stars: Int!, commentary: String }

scalar DateTime

type Mutation {
  createReview(episode: Episode!, review: ReviewInput!, at: DateTime): Review
}
"#;

fn schema() -> Schema {
    match Schema::from_sdl(STAR_WARS) {
        Ok(s) => s,
        Err(e) => panic!("the test schema does not load: {e}"),
    }
}

fn labels(c: &Completions) -> Vec<&str> {
    c.items.iter().map(|i| i.label.as_str()).collect()
}

/// Completions at the `|` of `text` (the `|` removed).
fn complete_at(schema: &Schema, text: &str) -> (Completions, String) {
    let cursor = text.find('|').unwrap_or(text.len());
    let query = text.replacen('|', "", 1);
    (completions(schema, &query, cursor), query)
}

#[test]
fn sdl_schema_describes_its_types_roots_first() {
    let s = schema();
    assert_eq!(
        s.roots(),
        Roots { query: Some("Query".into()), mutation: Some("Mutation".into()), subscription: None }
    );
    let types = s.types();
    assert_eq!(types[0].name, "Query");
    assert_eq!(types[1].name, "Mutation");
    assert!(types.iter().all(|t| !t.name.starts_with("__")));
    let human = s.type_info("Human").unwrap();
    assert_eq!(human.kind, TypeKind::Object);
    assert_eq!(human.interfaces, vec!["Character"]);
    let height = human.fields.iter().find(|f| f.name == "height").unwrap();
    assert_eq!(height.args[0].default.as_deref(), Some("METER"));
    let mass = human.fields.iter().find(|f| f.name == "mass").unwrap();
    assert_eq!(mass.deprecated.as_deref(), Some("Use weight"));
    let character = s.type_info("Character").unwrap();
    assert_eq!(character.possible_types, vec!["Droid", "Human"]);
    let search = s.type_info("Query").unwrap().fields.into_iter().find(|f| f.name == "search").unwrap();
    assert_eq!((search.type_text.as_str(), search.type_name.as_str()), ("[SearchResult!]!", "SearchResult"));
    let episode = s.type_info("Episode").unwrap();
    assert_eq!(episode.enum_values.len(), 4);
    assert_eq!(episode.enum_values[0].description.as_deref(), Some("Released in 1977."));
    assert_eq!(s.type_info("SearchResult").unwrap().possible_types, vec!["Droid", "Human"]);
    assert!(s.type_info("Nope").is_none());
}

#[test]
fn sdl_round_trips() {
    let s = schema();
    let again = Schema::from_sdl(&s.to_sdl()).unwrap();
    assert_eq!(again.types(), s.types());
    assert_eq!(again.to_sdl(), s.to_sdl());
}

#[test]
fn invalid_sdl_says_where() {
    let err = Schema::from_sdl("type Query { a: Missing }").unwrap_err();
    let SchemaError::Invalid(message) = &err else { panic!("{err:?}") };
    assert!(message.contains("Missing") && message.contains("line 1"), "{message}");
}

fn introspection_of(types: &str) -> String {
    format!(
        r#"{{"data":{{"__schema":{{"queryType":{{"name":"Query"}},"mutationType":null,"subscriptionType":null,"types":[{types}],"directives":[]}}}}}}"#
    )
}

#[test]
fn introspection_errors_are_worded_for_the_user() {
    let not_json = Schema::from_introspection(b"{\n  \"data\": {\n    oops").unwrap_err();
    assert!(matches!(not_json, SchemaError::NotJson { line: 3, column: 5, .. }), "{not_json:?}");
    assert!(not_json.to_string().starts_with("the response is not JSON (line 3, column 5)"), "{not_json}");

    let html = Schema::from_introspection(b"<!DOCTYPE html><html><body>Not found</body></html>").unwrap_err();
    assert_eq!(html, SchemaError::Html);

    let errors = Schema::from_introspection(
        br#"{"errors":[{"message":"introspection is disabled"},{"message":"try later"}]}"#,
    )
    .unwrap_err();
    assert_eq!(errors.to_string(), "the server answered with errors: introspection is disabled; try later");

    let no_schema = Schema::from_introspection(br#"{"data":{"viewer":{"login":"x"}}}"#).unwrap_err();
    assert_eq!(no_schema.to_string(), "the response has no data.__schema: is this a GraphQL endpoint?");

    let no_types = Schema::from_introspection(br#"{"__schema":{"queryType":{"name":"Query"}}}"#).unwrap_err();
    assert!(
        matches!(&no_types, SchemaError::Malformed { path, .. } if path == "__schema.types"),
        "{no_types:?}"
    );

    let dangling = introspection_of(
        r#"{"kind":"OBJECT","name":"Query","fields":[{"name":"film","args":[],"type":{"kind":"OBJECT","name":"Film","ofType":null}}],"interfaces":[]}"#,
    );
    let err = Schema::from_introspection(dangling.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "field Query.film refers to Film, which is not defined");

    let broken = introspection_of(
        r#"{"kind":"OBJECT","name":"Query","fields":[{"name":"a","args":[],"type":{"kind":"INTERFACE","name":"Named"}}],"interfaces":[{"kind":"INTERFACE","name":"Named"}]},
           {"kind":"INTERFACE","name":"Named","fields":[{"name":"name","args":[],"type":{"kind":"SCALAR","name":"String"}}]}"#,
    );
    let err = Schema::from_introspection(broken.as_bytes()).unwrap_err();
    let SchemaError::Invalid(message) = &err else { panic!("{err:?}") };
    assert!(
        message.contains("name")
            && message.ends_with("(lines of the SDL made from the introspection result)"),
        "{message}"
    );

    let no_kind = introspection_of(r#"{"name":"Query","fields":[]}"#);
    let err = Schema::from_introspection(no_kind.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the introspection result is malformed at __schema.types[0].kind: is missing for type Query"
    );

    let shallow = introspection_of(
        r#"{"kind":"OBJECT","name":"Query","fields":[{"name":"a","args":[],"type":{"kind":"NON_NULL","name":null,"ofType":null}}]}"#,
    );
    let err = Schema::from_introspection(shallow.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("__schema.types[0].fields[0].type.ofType"), "{err}");
}

#[test]
fn introspection_of_an_old_server_converts() {
    // No descriptions, no directives' `locations` (the old `onField`), no isDeprecated, wrappers
    // nested four deep, a custom scalar, default values, an input object and an enum.
    let types = r#"
      {"kind":"OBJECT","name":"Query","fields":[
        {"name":"matrix","args":[{"name":"size","type":{"kind":"SCALAR","name":"Int"},"defaultValue":"3"}],
         "type":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"SCALAR","name":"Float"}}}}}},
        {"name":"when","args":[],"type":{"kind":"SCALAR","name":"Time"},"isDeprecated":true,"deprecationReason":"use at"},
        {"name":"find","args":[{"name":"filter","type":{"kind":"INPUT_OBJECT","name":"Filter"},"defaultValue":"{color: RED}"}],"type":{"kind":"ENUM","name":"Color"}}
      ]},
      {"kind":"SCALAR","name":"Time","description":"An \"instant\"\nin time"},
      {"kind":"SCALAR","name":"Int"},
      {"kind":"ENUM","name":"Color","enumValues":[{"name":"RED"},{"name":"GREEN","isDeprecated":true}]},
      {"kind":"INPUT_OBJECT","name":"Filter","inputFields":[{"name":"color","type":{"kind":"ENUM","name":"Color"},"defaultValue":null}]},
      {"kind":"OBJECT","name":"__Type","fields":[{"name":"x","args":[],"type":{"kind":"SCALAR","name":"String"}}]}"#;
    let json = format!(
        r#"{{"__schema":{{"queryType":{{"name":"Query"}},"types":[{types}],"directives":[{{"name":"cached","args":[{{"name":"ttl","type":{{"kind":"SCALAR","name":"Int"}}}}],"onField":true}},{{"name":"include","locations":["FIELD"],"args":[]}}]}}}}"#
    );
    let s = match Schema::from_introspection(json.as_bytes()) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let query = s.type_info("Query").unwrap();
    assert_eq!(query.fields[0].type_text, "[[Float]!]!");
    assert_eq!(query.fields[0].args[0].default.as_deref(), Some("3"));
    assert_eq!(query.fields[1].deprecated.as_deref(), Some("use at"));
    assert_eq!(query.fields[2].args[0].default.as_deref(), Some("{color: RED}"));
    assert_eq!(s.type_info("Time").unwrap().description.as_deref(), Some("An \"instant\"\nin time"));
    assert_eq!(
        s.type_info("Color").unwrap().enum_values[1].deprecated.as_deref(),
        Some("No longer supported")
    );
    assert!(s.to_sdl().contains("directive @cached(ttl: Int) on FIELD"), "{}", s.to_sdl());
    assert!(validate(&s, "{ when matrix(size: 2) find @cached(ttl: 5) }").is_empty());
}

#[test]
fn a_valid_query_passes() {
    let s = schema();
    let query = r#"
query Hero($ep: Episode = JEDI, $withFriends: Boolean!) {
  hero(episode: $ep) { name ...Bits friends @include(if: $withFriends) { name } }
  search(text: "r2") { __typename ... on Droid { primaryFunction } }
}
fragment Bits on Character { id appearsIn }
mutation Review { createReview(episode: EMPIRE, review: {stars: 5, tags: ["a"]}) { stars } }
"#;
    assert_eq!(validate(&s, query), Vec::new());
}

fn one_diagnostic(s: &Schema, query: &str) -> Diagnostic {
    let found = validate(s, query);
    assert!(!found.is_empty(), "no diagnostic for {query}");
    found[0].clone()
}

#[test]
fn validation_errors_point_at_the_problem() {
    let s = schema();
    let unknown = one_diagnostic(&s, "{\n  hero {\n    nmae\n  }\n}");
    assert_eq!((unknown.line, unknown.column), (3, 5));
    assert_eq!(&"{\n  hero {\n    nmae\n  }\n}"[unknown.start..unknown.end], "nmae");
    assert!(unknown.message.contains("nmae"), "{}", unknown.message);

    let wrong_arg = one_diagnostic(&s, "{ human(id: 1.5) { name } }");
    assert_eq!((wrong_arg.line, wrong_arg.column), (1, 13));

    let missing_arg = one_diagnostic(&s, "{\n human { name } }");
    assert_eq!((missing_arg.line, missing_arg.column), (2, 2));
    assert!(missing_arg.message.contains("id"), "{}", missing_arg.message);

    let leaf = one_diagnostic(&s, "{ hero { name { x } } }");
    assert_eq!(leaf.column, 10);

    let no_selection = one_diagnostic(&s, "{ hero }");
    assert_eq!(no_selection.column, 3);

    let undefined = one_diagnostic(&s, "query Q {\n  hero(episode: $ep) { name }\n}");
    assert_eq!((undefined.line, undefined.column), (2, 17));
    assert!(undefined.message.contains("ep"), "{}", undefined.message);

    let unused = one_diagnostic(&s, "query Q($ep: Episode) { hero { name } }");
    assert!(unused.message.contains("ep"), "{}", unused.message);

    let fragment = one_diagnostic(&s, "{ hero { ...Missing } }");
    assert!(fragment.message.contains("Missing"), "{}", fragment.message);

    let syntax = one_diagnostic(&s, "{ hero { name }");
    assert!(syntax.message.contains("syntax"), "{}", syntax.message);
}

#[test]
fn columns_count_characters_not_bytes() {
    let s = schema();
    let query = "# héros ☃\n{ hero { nope } }";
    let d = one_diagnostic(&s, query);
    assert_eq!((d.line, d.column), (2, 10));
    assert_eq!(&query[d.start..d.end], "nope");
}

#[test]
fn completes_fields_of_the_selection_set_type() {
    let s = schema();
    let (c, q) = complete_at(&s, "{ human(id: 1) { name h| } }");
    assert_eq!(labels(&c), vec!["homePlanet", "height"]);
    assert_eq!(&q[c.replace.clone()], "h");
    assert_eq!(c.items[1].detail, "Float");

    let (c, _) = complete_at(&s, "{ human(id: 1) { name | ");
    let l = labels(&c);
    assert_eq!(l.first(), Some(&"id"));
    // Already selected and deprecated fields come after the others.
    let name_at = l.iter().position(|x| *x == "name").unwrap();
    let mass_at = l.iter().position(|x| *x == "mass").unwrap();
    assert!(mass_at > l.iter().position(|x| *x == "homePlanet").unwrap());
    assert!(name_at > mass_at);
    assert!(c.items[mass_at].deprecated);

    let (c, _) = complete_at(&s, "query { hero { friends { ... on Droid { pr| ");
    assert_eq!(labels(&c), vec!["primaryFunction"]);
    let (c, _) = complete_at(&s, "fragment F on Human { fr| }");
    assert_eq!(labels(&c), vec!["friends"]);
    let (c, _) = complete_at(&s, "mutation { createReview(episode: JEDI, review: {stars: 1}) { st| ");
    assert_eq!(labels(&c), vec!["stars"]);
    let (c, _) = complete_at(&s, "query($b: Boolean!) { hero { name ... @include(if: $b) { fr| } } }");
    assert_eq!(labels(&c), vec!["friends"]);
    let (c, _) = complete_at(&s, "{ hero { name ...F id } }\n{ hero { ... on Human { height } fr| } }");
    assert_eq!(labels(&c), vec!["friends"]);
    let (c, _) = complete_at(&s, "{ hero { alias: na| } }");
    assert_eq!(labels(&c), vec!["name"]);
    // Words inside a label match too, after those starting with what was typed.
    let (c, _) = complete_at(&s, "{ human(id: 1) { p| } }");
    assert_eq!(labels(&c), vec!["homePlanet"]);
    let (c, _) = complete_at(&s, "{ hero { t| } }");
    assert_eq!(labels(&c), vec!["__typename"]);
}

#[test]
fn completes_arguments_values_and_variables() {
    let s = schema();
    let (c, _) = complete_at(&s, "{ search(|");
    assert_eq!(labels(&c), vec!["text", "first"]);
    assert_eq!(c.items[0].insert, "text: ");
    let (c, _) = complete_at(&s, "{ search(text: \"x\", |) { __typename } }");
    assert_eq!(labels(&c), vec!["first"]);
    let (c, _) = complete_at(&s, "{ hero(episode: |");
    assert_eq!(labels(&c), vec!["NEWHOPE", "EMPIRE", "JEDI", "CLONES", "null"]);
    assert!(c.items[3].deprecated);
    let (c, _) = complete_at(&s, "{ hero(episode: E|) { name } }");
    assert_eq!(labels(&c), vec!["EMPIRE"]);
    let (c, _) =
        complete_at(&s, "query($e: Episode!, $n: Int, $b: Boolean!) { hero { friends @include(if: |");
    assert_eq!(labels(&c), vec!["$b", "true", "false"]);
    let (c, q) = complete_at(&s, "query($e: Episode!, $n: Int) { hero(episode: $|");
    assert_eq!(labels(&c), vec!["$e"]);
    assert_eq!(&q[c.replace.clone()], "$");
    let (c, _) = complete_at(&s, "mutation { createReview(episode: JEDI, review: {stars: 2, |");
    assert_eq!(labels(&c), vec!["commentary", "tags"]);
    let (c, _) = complete_at(&s, "mutation { createReview(review: {commentary: |");
    assert_eq!(labels(&c), vec!["null"]);
    let (c, _) = complete_at(&s, "query Q($eps: [Episode!] = [JEDI, |");
    assert_eq!(labels(&c), vec!["NEWHOPE", "EMPIRE", "JEDI", "CLONES"]);
    let (c, _) = complete_at(&s, "{ human(id: \"a|");
    assert!(c.items.is_empty(), "nothing inside a string");
}

#[test]
fn completes_types_fragments_keywords_and_directives() {
    let s = schema();
    let (c, _) = complete_at(&s, "{ search(text: \"x\") { ... on |");
    assert_eq!(labels(&c), vec!["Droid", "Human", "SearchResult"]);
    let (c, _) = complete_at(&s, "fragment A on Human { id }\nfragment B on Droid { id }\n{ hero { ...| } }");
    assert_eq!(labels(&c), vec!["on", "A", "B"]);
    assert_eq!(c.items[1].detail, "on Human");
    let (c, _) = complete_at(&s, "fragment F on |");
    assert!(labels(&c).contains(&"Character") && !labels(&c).contains(&"Episode"));
    let (c, _) = complete_at(&s, "|");
    assert_eq!(labels(&c), vec!["query", "mutation", "fragment"]);
    let (c, _) = complete_at(&s, "{ hero { id } }\nm|");
    assert_eq!(labels(&c), vec!["mutation"]);
    let (c, _) = complete_at(&s, "query Q($e: |");
    let l = labels(&c);
    assert!(
        l.contains(&"Episode") && l.contains(&"ReviewInput") && l.contains(&"Int") && !l.contains(&"Human"),
        "{l:?}"
    );
    let (c, _) =
        complete_at(&s, "query Q($|) { hero(episode: $ep) { name } search(text: $t) { __typename } }");
    assert_eq!(labels(&c), vec!["$ep", "$t"]);
    let (c, q) = complete_at(&s, "{ hero { name @| } }");
    assert_eq!(labels(&c), vec!["@include", "@skip"]);
    assert_eq!(&q[c.replace.clone()], "@");
    let (c, _) = complete_at(&s, "{ hero { name @include(|");
    assert_eq!(labels(&c), vec!["if"]);
}

#[test]
fn checks_variables_against_the_operation() {
    let s = schema();
    let q = "query Q($id: ID!, $first: Int, $ep: Episode, $review: ReviewInput) { human(id: $id) { name } }";
    let problems = |vars: &str| -> Vec<String> {
        check_variables(&s, q, None, vars).into_iter().map(|p| format!("{}|{}", p.name, p.message)).collect()
    };
    assert!(
        problems(r#"{"id": "1000", "first": 3, "ep": "JEDI", "review": {"stars": 4, "tags": "one"}}"#)
            .is_empty()
    );
    assert_eq!(problems("{}"), vec!["$id|$id is required (ID!) but missing"]);
    assert_eq!(problems(r#"{"id": null}"#), vec!["$id|$id expects ID!, got null"]);
    assert_eq!(problems(r#"{"id": 1, "first": "ten"}"#), vec![r#"$first|$first expects Int, got "ten""#]);
    assert_eq!(
        problems(r#"{"id": 1, "first": 3000000000}"#),
        vec!["$first|$first expects Int, got 3000000000"]
    );
    assert_eq!(
        problems(r#"{"id": 1, "ep": "JEDl"}"#),
        vec![r#"$ep|$ep expects Episode, got "JEDl" (one of NEWHOPE, EMPIRE, JEDI, CLONES)"#]
    );
    assert_eq!(
        problems(r#"{"id": 1, "review": {"commentary": 5, "extra": 1}}"#),
        vec![
            "$review|$review.stars is required (Int!) but missing",
            "$review|$review.commentary expects String, got 5",
            "$review|$review.extra is not a field of ReviewInput",
        ]
    );
    assert_eq!(
        problems(r#"{"id": 1, "extra": true}"#),
        vec!["$extra|$extra is not a variable of operation Q"]
    );
    assert_eq!(problems("[1]"), vec!["|variables are not a JSON object (found an array)"]);
    let bad = problems("{\"id\": }");
    assert!(bad[0].starts_with("|variables are not valid JSON (line 1, column 8)"), "{bad:?}");
    assert!(problems("  ").contains(&"$id|$id is required (ID!) but missing".to_owned()));

    let two = "query A { hero { name } } query B($x: Int!) { hero { name } }";
    let picked = check_variables(&s, two, Some("B"), "{}");
    assert_eq!(picked[0].message, "$x is required (Int!) but missing");
    let ambiguous = check_variables(&s, two, None, "{}");
    assert_eq!(ambiguous[0].message, "the document has several operations: choose one to run (A, B)");
    let missing = check_variables(&s, two, Some("C"), "{}");
    assert_eq!(missing[0].message, "the document has no operation named C");
}

#[test]
fn every_prefix_of_real_queries_completes_and_validates_without_panic() {
    let s = schema();
    let queries = [
        "query Hero($ep: Episode = JEDI, $b: Boolean!) {\n  hero(episode: $ep) {\n    name\n    ... on Human { height(unit: FOOT) mass }\n    friends @include(if: $b) { ...F }\n  }\n}\nfragment F on Character { id appearsIn }\n",
        "mutation { createReview(episode: EMPIRE, review: {stars: 5, commentary: \"\"\"great\n\"\"\", tags: [\"a\", \"b\"]}) { stars # done\n } }",
        "{ search(text: \"é☃\\\"\", first: -1.5e3) { __typename ... on Droid { primaryFunction } } }",
    ];
    for query in queries {
        for end in 0..=query.len() {
            if !query.is_char_boundary(end) {
                continue;
            }
            let prefix = &query[..end];
            let _ = validate(&s, prefix);
            let _ = check_variables(&s, prefix, None, prefix);
            for cursor in [0, end / 2, end, end + 7] {
                let c = completions(&s, prefix, cursor);
                assert!(c.replace.start <= c.replace.end && c.replace.end <= prefix.len());
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

    /// Whatever the user has typed, and wherever the cursor is, nothing panics.
    #[test]
    fn arbitrary_text_never_panics(
        text in r#"[{}()\[\]:=@$!|&., "\\#\n\t a-zA-Z_0-9é☃-]{0,80}"#,
        cursor in 0usize..90,
    ) {
        let s = schema();
        let c = completions(&s, &text, cursor);
        proptest::prop_assert!(c.replace.start <= c.replace.end && c.replace.end <= text.len());
        for d in validate(&s, &text) {
            proptest::prop_assert!(d.start <= d.end && d.end <= text.len() && d.line >= 1 && d.column >= 1);
        }
        let _ = check_variables(&s, &text, None, &text);
        let _ = Schema::from_introspection(text.as_bytes());
        let _ = Schema::from_sdl(&text);
    }
}
