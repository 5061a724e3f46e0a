// Cargo.toml: reqwest = { version = "0.13", features = ["blocking"] }

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::blocking::Client::new();
    let response = client
        .request(reqwest::Method::POST, "http://127.0.0.1:8080/items/1?x=1")
        .header("Content-Type", "application/json")
        .basic_auth("ali ce", Some("p@ss:w'rd$\"\\"))
        .body("{\n  \"name\": \"O'Brien \\\"quoted\\\" back\\\\slash\\nnext\\tline $HOME ${x} `cmd` Zürich 😀 100%\",\n  \"nested\": {\n    \"list\": [\n      1,\n      2.5,\n      null\n    ]\n  },\n  \"price\": \"$5\"\n}")
        .send()?;
    println!("{}", response.status());
    println!("{}", response.text()?);
    Ok(())
}
