//! Shapes of each format the corpus does not happen to contain, each in a small document written
//! here: legacy Postman forms, Insomnia details, OpenAPI/Swagger variants, HAR bodies, cURL files.

// Test helpers outside #[test] functions: a failure should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use localpost::interop::foreign;
use localpost::interop::{Format, Imported};
use localpost::model::{
    ApiKeyLocation, Auth, BodyMode, FormPartKind, ItemId, ParentId, RawLanguage, Request, StoredBody,
    WorkspaceData,
};

fn import(text: &str) -> Imported {
    foreign::import(text.as_bytes(), "test-file.json").unwrap_or_else(|e| panic!("{e}"))
}

fn only_workspace(imported: &Imported) -> &WorkspaceData {
    assert_eq!(imported.workspaces.len(), 1);
    &imported.workspaces[0]
}

fn request<'a>(data: &'a WorkspaceData, name: &str) -> &'a Request {
    data.requests.values().find(|r| r.name == name).unwrap_or_else(|| panic!("no request {name}"))
}

fn warned(imported: &Imported, needle: &str) -> bool {
    imported.report.warnings.iter().any(|w| w.message.contains(needle))
}

#[test]
fn standalone_postman_v1_collection() {
    let imported = import(
        r#"{"id":"c1","name":"Old","order":["r1"],"folders":[],"requests":[
            {"id":"r1","name":"Login","method":"POST","url":"https://x/login?debug=1",
             "headers":"Content-Type: application/x-www-form-urlencoded\n// X-Off: 1",
             "dataMode":"urlencoded","data":[{"key":"user","value":"u","enabled":true},{"key":"pw","value":"p","enabled":false}],
             "currentHelper":"basicAuth","helperAttributes":{"id":"basic","username":"a","password":"b"},
             "preRequestScript":"console.log(1)","tests":"",
             "responses":[{"name":"ok","responseCode":{"code":200,"name":"OK"},"text":"{}","headers":[{"key":"A","value":"b"}]}]}]}"#,
    );
    assert_eq!(imported.format, Format::PostmanCollectionV1);
    let data = only_workspace(&imported);
    let login = request(data, "Login");
    assert_eq!(login.auth, Auth::Basic { username: "a".into(), password: "b".into() });
    assert_eq!(login.headers.len(), 2);
    assert!(!login.headers[1].enabled);
    assert_eq!(login.body.mode, BodyMode::UrlEncoded);
    assert!(!login.body.urlencoded[1].enabled);
    assert_eq!(login.params[0].key, "debug");
    assert_eq!(login.scripts.pre_request, "console.log(1)");
    assert_eq!(login.examples[0].response.status, 200);
    assert!(!warned(&imported, "script"), "scripts run now: importing one is not a warning");
}

#[test]
fn legacy_globals_array_and_environment_forms() {
    let globals = import(
        r#"[{"key":"a","value":"1","type":"text","enabled":true},{"key":"b","value":"2","enabled":false}]"#,
    );
    assert_eq!(globals.format, Format::PostmanGlobals);
    let vars = &only_workspace(&globals).globals.variables;
    assert_eq!((vars.len(), vars[1].enabled), (2, false));

    let env = import(r#"{"name":"E","values":[{"key":"s","value":"x","type":"secret"}]}"#);
    assert_eq!(env.format, Format::PostmanEnvironment);
    assert!(only_workspace(&env).environments.values().next().unwrap().variables[0].secret);

    let bad =
        foreign::import(br#"{"name":"E","values":"nope","_postman_variable_scope":"environment"}"#, "x")
            .unwrap_err();
    assert!(
        matches!(bad, localpost::interop::ImportError::UnknownFormat(_))
            || bad.to_string().contains("$.values"),
        "{bad}"
    );
}

#[test]
fn postman_v21_details() {
    let imported = import(
        r#"{"info":{"name":"D","schema":"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "protocolProfileBehavior":{"strictSSL":false},
            "item":[
              {"name":"string url","request":"https://x/a"},
              {"name":"get with body","protocolProfileBehavior":{"disableBodyPruning":true},
               "request":{"method":"GET","url":"https://x/b","body":{"mode":"raw","raw":"{}","options":{"raw":{"language":"json"}}}}},
              {"name":"pruned","request":{"method":"GET","url":"https://x/c","body":{"mode":"raw","raw":"x"}}},
              {"name":"token only","request":{"url":"https://x/d","auth":{"type":"oauth2","oauth2":[{"key":"accessToken","value":"T"},{"key":"addTokenTo","value":"header"}]}}},
              {"name":"disabled body","request":{"method":"POST","url":"https://x/e","body":{"mode":"raw","raw":"x","disabled":true}}},
              {"name":"remote script","event":[{"listen":"test","script":{"src":"https://scripts/x.js"}}],"request":{"url":"https://x/f"}},
              {"name":"apikey query","request":{"url":"https://x/g","auth":{"type":"apikey","apikey":[{"key":"in","value":"query"},{"key":"key","value":"k"},{"key":"value","value":"v"}]}}},
              {"name":"proxied","request":{"url":"https://x/h","proxy":{"host":"proxy.corp","port":3128},"certificate":{"name":"client-a","matches":["https://x/*"]}}}
            ]}"#,
    );
    let data = only_workspace(&imported);
    assert_eq!(data.collections.values().next().unwrap().settings.verify_tls, Some(false));
    assert_eq!(request(data, "string url").url, "https://x/a");
    let kept = request(data, "get with body");
    assert_eq!((kept.body.mode, kept.body.raw_language), (BodyMode::Raw, RawLanguage::Json));
    assert_eq!(request(data, "pruned").body.mode, BodyMode::None);
    assert_eq!(request(data, "pruned").body.raw, "x");
    let Auth::OAuth2(oauth) = &request(data, "token only").auth else { panic!() };
    assert_eq!(oauth.access_token, "T");
    assert_eq!(request(data, "disabled body").body.mode, BodyMode::None);
    assert!(warned(&imported, "script loaded from https://scripts/x.js"));
    assert!(warned(&imported, "request proxy proxy.corp:3128 is not kept"));
    assert!(warned(&imported, "client certificate `client-a`"));
    assert_eq!(
        request(data, "apikey query").auth,
        Auth::ApiKey { key: "k".into(), value: "v".into(), location: ApiKeyLocation::Query }
    );
}

#[test]
fn insomnia_v4_json_details() {
    let imported = import(
        r#"{"_type":"export","__export_format":4,"resources":[
            {"_id":"wrk_1","_type":"workspace","name":"W"},
            {"_id":"env_base","_type":"environment","parentId":"wrk_1","name":"Base","data":{"host":"h","api":{"v":"2"}}},
            {"_id":"env_dev","_type":"environment","parentId":"env_base","name":"Dev","isPrivate":true,"data":{"token":"t"}},
            {"_id":"fld_1","_type":"request_group","parentId":"wrk_1","name":"F","metaSortKey":2,
             "headers":[{"name":"X-Folder","value":"1"}],"authentication":{"type":"iam","accessKeyId":"AK","secretAccessKey":"SK","region":"r","service":"s"}},
            {"_id":"req_2","_type":"request","parentId":"fld_1","name":"Second","metaSortKey":5,"method":"GET","url":"{{ _.host }}/b",
             "authentication":{"type":"bearer","token":"{{ _.token }}","prefix":"Token"}},
            {"_id":"req_1","_type":"request","parentId":"fld_1","name":"First","metaSortKey":-5,"method":"POST","url":"{{ _.host }}/a?x=1",
             "parameters":[{"name":"y","value":"2"},{"name":"z","value":"3","disabled":true}],
             "body":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"a","value":"{{ _.api.v }}"}]},
             "authentication":{"type":"basic","username":"u","password":"p","disabled":true}},
            {"_id":"req_3","_type":"request","parentId":"wrk_1","name":"Top","metaSortKey":1,"method":"GET","url":"{{ now | date }}",
             "authentication":{"type":"apikey","key":"k","value":"v","addTo":"queryParams"}},
            {"_id":"req_orphan","_type":"request","parentId":"fld_missing","name":"Orphan","url":"x"},
            {"_id":"crt_1","_type":"client_certificate","parentId":"wrk_1","host":"x","cert":"/a.pem"},
            {"_id":"jar_1","_type":"cookie_jar","parentId":"wrk_1","cookies":[
               {"key":"a","value":"1","domain":".example.com","path":"/","expires":"Infinity","secure":true},
               {"key":"b","value":"2","domain":"example.com","expires":"2030-01-01T00:00:00.000Z","hostOnly":true,"httpOnly":true}]}
        ]}"#,
    );
    assert_eq!(imported.format, Format::InsomniaV4);
    let data = only_workspace(&imported);
    let collection = data.collections.values().next().unwrap();
    let vars: Vec<(&str, &str)> =
        collection.variables.iter().map(|v| (v.key.as_str(), v.value.as_str())).collect();
    assert_eq!(vars, [("host", "h"), ("api.v", "2")]);
    let dev = data.environments.values().next().unwrap();
    assert!(dev.variables[0].secret, "a private environment's values are secrets");
    // Order by metaSortKey: Top (1) before F (2); inside F, First (-5) before Second (5).
    let top: Vec<String> = collection
        .children
        .iter()
        .map(|c| match c {
            ItemId::Folder(f) => data.folders[f].name.clone(),
            ItemId::Request(r) => data.requests[r].name.clone(),
        })
        .collect();
    assert_eq!(top, ["Top", "F", "Orphan"]);
    let folder = data.folders.values().next().unwrap();
    assert!(matches!(folder.auth, Auth::AwsSigV4(_)));
    let inside: Vec<&str> = data
        .children(ParentId::Folder(folder.id))
        .unwrap()
        .iter()
        .map(|c| match c {
            ItemId::Request(r) => data.requests[r].name.as_str(),
            ItemId::Folder(_) => "folder",
        })
        .collect();
    assert_eq!(inside, ["First", "Second"]);
    let first = request(data, "First");
    assert_eq!(first.url, "{{host}}/a?x=1&y=2");
    assert_eq!(first.params.len(), 3);
    assert!(!first.params[2].enabled);
    assert_eq!(first.body.urlencoded[0].value, "{{api.v}}");
    assert_eq!(first.auth, Auth::None);
    assert_eq!(
        request(data, "Second").auth,
        Auth::ApiKey {
            key: "Authorization".into(),
            value: "Token {{token}}".into(),
            location: ApiKeyLocation::Header
        }
    );
    assert_eq!(
        request(data, "Top").auth,
        Auth::ApiKey { key: "k".into(), value: "v".into(), location: ApiKeyLocation::Query }
    );
    assert!(warned(&imported, "turned off in Insomnia"));
    assert!(warned(&imported, "certificate not imported: add it in Settings"));
    assert!(warned(&imported, "folder headers (X-Folder)"));
    assert!(warned(&imported, "{{ now | date }}"));
    assert!(warned(&imported, "name a parent that is not in the file"));
    assert_eq!(imported.cookies.len(), 2);
    assert_eq!(
        (imported.cookies[0].domain.as_str(), imported.cookies[0].host_only, imported.cookies[0].expires),
        ("example.com", false, None)
    );
    assert!(imported.cookies[1].expires.is_some() && imported.cookies[1].http_only);
}

#[test]
fn insomnia_v5_environment_file() {
    let imported = import(
        "type: environment.insomnia.rest/5.0\nname: Env\nmeta: {id: env_x}\nenvironments:\n  name: Base\n  meta: {id: env_base}\n  data: {a: 1}\n  subEnvironments:\n    - name: Prod\n      meta: {id: env_p}\n      data: {a: 2}\n",
    );
    assert_eq!(imported.format, Format::InsomniaV5);
    let data = only_workspace(&imported);
    let names: Vec<&str> =
        data.workspace.environments.iter().map(|id| data.environments[id].name.as_str()).collect();
    assert_eq!(names, ["Base", "Prod"]);
}

#[test]
fn openapi_servers_security_and_refs() {
    let imported = import(
        r#"
openapi: 3.1.0
info: {title: Shop}
servers:
  - {url: 'https://{region}.shop.example/v1', description: Production, variables: {region: {default: eu, enum: [eu, us]}}}
  - {url: 'http://localhost:8080/v1', description: Local}
security: [{basicAuth: []}]
paths:
  /orders/{orderId}:
    parameters: [{$ref: '#/components/parameters/OrderId'}]
    get:
      operationId: getOrder
      tags: [orders]
      parameters:
        - {name: expand, in: query, required: true, schema: {type: array, items: {type: string, enum: [lines, customer]}}}
        - {name: X-Trace, in: header, schema: {type: string, example: 'a b'}}
      responses:
        '200': {description: ok, content: {application/json: {example: {id: 1}}}}
  /health:
    get:
      security: []
      responses: {'200': {description: ok}}
  /orders:
    post:
      tags: [orders]
      security: [{oauth: [write]}]
      requestBody:
        content:
          application/json:
            schema:
              allOf:
                - {$ref: '#/components/schemas/Base'}
                - {type: object, properties: {total: {type: number}, lines: {type: array, items: {$ref: 'other.yaml#/Line'}}}}
      responses: {'201': {description: created}}
components:
  parameters:
    OrderId: {name: orderId, in: path, required: true, schema: {type: integer, example: 42}}
  schemas:
    Base: {type: object, properties: {id: {type: string, format: uuid, readOnly: true}, note: {type: string, default: hi}}}
  securitySchemes:
    basicAuth: {type: http, scheme: basic}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://auth/token', scopes: {write: w, read: r}}}}
"#,
    );
    assert_eq!(imported.format, Format::OpenApi3);
    let data = only_workspace(&imported);
    let collection = data.collections.values().next().unwrap();
    assert!(matches!(collection.auth, Auth::Basic { .. }));
    let base = collection.variables.iter().find(|v| v.key == "base").unwrap();
    assert_eq!(base.value, "https://{{region}}.shop.example/v1");
    assert!(collection.variables.iter().any(|v| v.key == "region" && v.value == "eu"));
    assert_eq!(data.environments.len(), 2, "one environment per server");
    let get = request(data, "getOrder");
    assert_eq!(get.url, "{{base}}/orders/:orderId?expand=lines");
    assert_eq!(get.path_variables[0].value, "42");
    assert_eq!(get.headers[0].value, "a b");
    assert!(!get.headers[0].enabled, "optional header parameters are off");
    assert_eq!(get.auth, Auth::Inherit);
    assert_eq!(get.examples.len(), 1);
    assert_eq!(request(data, "GET /health").auth, Auth::None);
    let post = request(data, "POST /orders");
    let Auth::OAuth2(oauth) = &post.auth else { panic!("{:?}", post.auth) };
    assert_eq!((oauth.access_token_url.as_str(), oauth.scope.as_str()), ("https://auth/token", "write"));
    assert_eq!(post.body.raw, "{\n  \"note\": \"hi\",\n  \"total\": 0,\n  \"lines\": []\n}");
    assert!(warned(&imported, "other.yaml#/Line"));
}

#[test]
fn swagger2_forms_and_auth() {
    let imported = import(
        r#"{"swagger":"2.0","info":{"title":"S"},"host":"api.example","basePath":"/v2/","schemes":["http","https"],
            "securityDefinitions":{"key":{"type":"apiKey","name":"token","in":"query"},"basic":{"type":"basic"}},
            "paths":{"/login":{"post":{"consumes":["application/x-www-form-urlencoded"],"security":[{"basic":[]}],
                "parameters":[{"name":"user","in":"formData","type":"string","required":true,"x-example":"me"},
                              {"name":"remember","in":"formData","type":"boolean","default":false}]}},
                     "/items":{"get":{"security":[{"key":[]}],"parameters":[{"name":"q","in":"query","type":"string"}]}}}}"#,
    );
    assert_eq!(imported.format, Format::Swagger2);
    let data = only_workspace(&imported);
    let base = data.collections.values().next().unwrap().variables.iter().find(|v| v.key == "base").unwrap();
    assert_eq!(base.value, "https://api.example/v2");
    let login = request(data, "POST /login");
    assert_eq!(login.body.mode, BodyMode::UrlEncoded);
    let rows: Vec<(&str, &str, bool)> =
        login.body.urlencoded.iter().map(|r| (r.key.as_str(), r.value.as_str(), r.enabled)).collect();
    assert_eq!(rows, [("user", "me", true), ("remember", "false", false)]);
    assert!(matches!(login.auth, Auth::Basic { .. }));
    assert_eq!(
        request(data, "GET /items").auth,
        Auth::ApiKey { key: "token".into(), value: "{{key}}".into(), location: ApiKeyLocation::Query }
    );
}

#[test]
fn har_bodies_and_responses() {
    let imported = import(
        r#"{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[
            {"startedDateTime":"2024-01-01T00:00:00Z","time":12.6,
             "request":{"method":"POST","url":"https://h/upload","httpVersion":"HTTP/2","headers":[
                {"name":":authority","value":"other-host"},{"name":"content-type","value":"multipart/form-data; boundary=abc"},
                {"name":"content-length","value":"99"},{"name":"x-a","value":"1"}],
              "queryString":[],"postData":{"mimeType":"multipart/form-data; boundary=abc","params":[
                {"name":"f","fileName":"photo.png","contentType":"image/png"},{"name":"t","value":"v"}]}},
             "response":{"status":201,"statusText":"Created","httpVersion":"HTTP/2","headers":[{"name":"content-type","value":"application/octet-stream"}],
              "content":{"size":3,"mimeType":"application/octet-stream","text":"AAEC","encoding":"base64"}}},
            {"request":{"method":"GET","url":"https://h/c","headers":[],"cookies":[{"name":"sid","value":"1"},{"name":"t","value":"2"}]},"response":{"status":200}},
            {"request":"broken","response":{}}
        ]}}"#,
    );
    assert_eq!(imported.format, Format::Har);
    let data = only_workspace(&imported);
    let upload = request(data, "POST h/upload");
    assert_eq!(upload.headers.len(), 1, "pseudo, multipart type and length dropped: {:?}", upload.headers);
    assert_eq!(upload.body.multipart[0].kind, FormPartKind::File("photo.png".into()));
    assert_eq!(upload.body.multipart[0].content_type, "image/png");
    let example = &upload.examples[0];
    assert_eq!((example.response.status, example.response.time_ms), (201, 13));
    assert_eq!(example.response.body, Some(StoredBody::from_bytes(&[0, 1, 2])));
    assert!(example.saved_at.is_some());
    assert!(warned(&imported, "recorded :authority `other-host` differs"));
    assert_eq!(
        request(data, "GET h/c").headers[0].value,
        "sid=1; t=2",
        "cookies recorded apart become a Cookie header"
    );
    assert!(imported.report.warnings.iter().any(|w| w.location == "entries[2]"));
}

#[test]
fn a_file_of_curl_commands_is_a_collection() {
    let imported = foreign::import(
        b"# saved commands\ncurl https://a.example/one\n\ncurl -X DELETE 'https://a.example/two' \\\n  -H 'X: 1'\necho done\n",
        "commands.sh",
    )
    .unwrap();
    assert_eq!(imported.format, Format::Curl);
    let data = only_workspace(&imported);
    assert_eq!(data.collections.values().next().unwrap().name, "commands");
    let names: Vec<&str> = data.requests.values().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["GET a.example/one", "DELETE a.example/two"]);
    assert!(warned(&imported, "`echo` is not a curl command"));
}

#[test]
fn detection_is_by_content() {
    let cases: &[(&str, Option<Format>)] = &[
        ("curl https://x", Some(Format::Curl)),
        ("$ curl -s https://x", Some(Format::Curl)),
        ("\u{feff}{\"info\":{\"name\":\"x\"},\"item\":[]}", Some(Format::PostmanCollectionV21)),
        (
            "{\"collection\":{\"info\":{\"schema\":\"https://schema.getpostman.com/json/collection/v2.0.0/\"},\"item\":[]}}",
            Some(Format::PostmanCollectionV20),
        ),
        ("openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n", Some(Format::OpenApi3)),
        ("{\"swagger\": \"2.0\", \"paths\": {}}", Some(Format::Swagger2)),
        ("_type: export\n__export_format: 4\nresources: []\n", Some(Format::InsomniaV4)),
        ("{\"log\": {\"entries\": []}}", Some(Format::Har)),
        ("{\"version\":1,\"collections\":[]}", Some(Format::PostmanDumpLegacy)),
        ("just some words", None),
        ("{\"openapi\": \"2.5\"}", None),
        ("", None),
    ];
    for (text, expected) in cases {
        assert_eq!(foreign::detect(text.as_bytes()), *expected, "{text}");
    }
    let err = foreign::import(b"just some words", "x.txt").unwrap_err();
    assert!(err.to_string().contains("not JSON, YAML or a cURL command"), "{err}");
    let err = foreign::import(br#"{"collection":{"c1":true},"environment":{}}"#, "archive.json").unwrap_err();
    assert!(err.to_string().contains("import the whole folder or ZIP"), "{err}");
    let latin1 = b"{\"name\": \"caf\xe9\"}";
    assert!(foreign::import(latin1, "x.json").unwrap_err().to_string().contains("not UTF-8"));
}
