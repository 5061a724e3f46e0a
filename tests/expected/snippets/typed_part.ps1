$form = [ordered]@{
    'note' = 'café "quoted" $HOME'
    'meta' = '{"a": "$b"}'
    'file' = Get-Item -LiteralPath '/data/up load.bin'
    'notes' = Get-Item -LiteralPath '/data/notes.txt'
}
$response = Invoke-WebRequest -Uri 'http://127.0.0.1:8080/upload' `
    -Method 'POST' `
    -Form $form
$response.StatusCode
$response.Content
