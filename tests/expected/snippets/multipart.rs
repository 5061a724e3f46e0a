// Cargo.toml: reqwest = { version = "0.13", features = ["blocking", "multipart"] }

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::blocking::Client::new();
    let form = reqwest::blocking::multipart::Form::new()
        .text("note", "café \"quoted\" $HOME")
        .file("file", "/data/up load.bin")?
        .file("notes", "/data/notes.txt")?;
    let response = client
        .request(reqwest::Method::POST, "http://127.0.0.1:8080/upload")
        .multipart(form)
        .send()?;
    println!("{}", response.status());
    println!("{}", response.text()?);
    Ok(())
}
