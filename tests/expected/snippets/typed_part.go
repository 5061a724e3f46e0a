package main

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
)

func main() {
	url := "http://127.0.0.1:8080/upload"
	payload := &bytes.Buffer{}
	writer := multipart.NewWriter(payload)
	if err := writer.WriteField("note", "café \"quoted\" $HOME"); err != nil {
		panic(err)
	}
	{
		h := make(textproto.MIMEHeader)
		h.Set("Content-Disposition", "form-data; name=\"meta\"")
		h.Set("Content-Type", "application/json")
		part, err := writer.CreatePart(h)
		if err != nil {
			panic(err)
		}
		if _, err := io.WriteString(part, "{\"a\": \"$b\"}"); err != nil {
			panic(err)
		}
	}
	{
		file, err := os.Open("/data/up load.bin")
		if err != nil {
			panic(err)
		}
		defer file.Close()
		part, err := writer.CreateFormFile("file", "up load.bin")
		if err != nil {
			panic(err)
		}
		if _, err := io.Copy(part, file); err != nil {
			panic(err)
		}
	}
	{
		file, err := os.Open("/data/notes.txt")
		if err != nil {
			panic(err)
		}
		defer file.Close()
		part, err := writer.CreateFormFile("notes", "notes.txt")
		if err != nil {
			panic(err)
		}
		if _, err := io.Copy(part, file); err != nil {
			panic(err)
		}
	}
	if err := writer.Close(); err != nil {
		panic(err)
	}

	req, err := http.NewRequest("POST", url, payload)
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", writer.FormDataContentType())
	client := &http.Client{}
	res, err := client.Do(req)
	if err != nil {
		panic(err)
	}
	defer res.Body.Close()

	body, err := io.ReadAll(res.Body)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.StatusCode)
	fmt.Println(string(body))
}
