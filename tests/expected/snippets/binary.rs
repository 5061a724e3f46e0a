// Cargo.toml: reqwest = { version = "0.13", features = ["blocking"] }

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::blocking::Client::new();
    let response = client
        .request(reqwest::Method::POST, "http://127.0.0.1:8080/raw")
        .header("Content-Type", "application/octet-stream")
        .body(std::fs::File::open("/data/up load.bin")?)
        .send()?;
    println!("{}", response.status());
    println!("{}", response.text()?);
    Ok(())
}
