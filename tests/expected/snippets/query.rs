// Cargo.toml: reqwest = { version = "0.13", features = ["blocking"] }

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::blocking::Client::new();
    let response = client
        .request(reqwest::Method::GET, "http://127.0.0.1:8080/search?q=caf%C3%A9%20%26%20cr%C3%A8me&sign=a%2Bb=c&shell=$HOME%20%27x%27%20%22y%22")
        .header("X-Quote", "it's \"quoted\" \\ $HOME")
        .header("Authorization", "Bearer t0k$en'\"")
        .send()?;
    println!("{}", response.status());
    println!("{}", response.text()?);
    Ok(())
}
