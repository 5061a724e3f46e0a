$headers = [ordered]@{
    'X-Quote' = 'it''s "quoted" \ $HOME'
    'Authorization' = 'Bearer t0k$en''"'
}
$response = Invoke-WebRequest -Uri 'http://127.0.0.1:8080/search?q=caf%C3%A9%20%26%20cr%C3%A8me&sign=a%2Bb=c&shell=$HOME%20%27x%27%20%22y%22' `
    -Method 'GET' `
    -Headers $headers
$response.StatusCode
$response.Content
