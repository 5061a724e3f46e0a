package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

func main() {
	url := "http://127.0.0.1:8080/raw"
	payload, err := os.Open("/data/up load.bin")
	if err != nil {
		panic(err)
	}
	defer payload.Close()

	req, err := http.NewRequest("POST", url, payload)
	if err != nil {
		panic(err)
	}
	req.Header.Add("Content-Type", "application/octet-stream")
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
