$basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('ali ce:p@ss:w''rd$"\'))
$headers = [ordered]@{
    'Authorization' = 'Basic ' + $basic
}
$body = '{
  "name": "O''Brien \"quoted\" back\\slash\nnext\tline $HOME ${x} `cmd` Zürich 😀 100%",
  "nested": {
    "list": [
      1,
      2.5,
      null
    ]
  },
  "price": "$5"
}'
$response = Invoke-WebRequest -Uri 'http://127.0.0.1:8080/items/1?x=1' `
    -Method 'POST' `
    -Headers $headers `
    -Body $body `
    -ContentType 'application/json'
$response.StatusCode
$response.Content
