package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

func main() {
	url := "http://127.0.0.1:8080/form"
	payload := strings.NewReader("name=O'Brien%20%22quoted%22%20back%5Cslash%0Anext%09line%20%24HOME%20%24%7Bx%7D%20%60cmd%60%20Z%C3%BCrich%20%F0%9F%98%80%20100%25&math=1%2B1%3D2%20%26%203&empty=")

	req, err := http.NewRequest("PUT", url, payload)
	if err != nil {
		panic(err)
	}
	req.Header.Add("X-Api-Key", "k'$y")
	req.Header.Add("Content-Type", "application/x-www-form-urlencoded")
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
