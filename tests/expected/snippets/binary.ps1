$response = Invoke-WebRequest -Uri 'http://127.0.0.1:8080/raw' `
    -Method 'POST' `
    -InFile '/data/up load.bin' `
    -ContentType 'application/octet-stream'
$response.StatusCode
$response.Content
