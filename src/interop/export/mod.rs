//! Formats to other tools: Postman Collection v2.1 and environments, cURL, code snippets.
