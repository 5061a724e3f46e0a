// Cargo.toml: reqwest = { version = "0.13", features = ["blocking"] }

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::blocking::Client::new();
    let response = client
        .request(reqwest::Method::PUT, "http://127.0.0.1:8080/form")
        .header("X-Api-Key", "k'$y")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("name=O'Brien%20%22quoted%22%20back%5Cslash%0Anext%09line%20%24HOME%20%24%7Bx%7D%20%60cmd%60%20Z%C3%BCrich%20%F0%9F%98%80%20100%25&math=1%2B1%3D2%20%26%203&empty=")
        .send()?;
    println!("{}", response.status());
    println!("{}", response.text()?);
    Ok(())
}
