package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

func main() {
	url := "http://127.0.0.1:8080/items/1?x=1"
	payload := strings.NewReader("{\n  \"name\": \"O'Brien \\\"quoted\\\" back\\\\slash\\nnext\\tline $HOME ${x} `cmd` Zürich 😀 100%\",\n  \"nested\": {\n    \"list\": [\n      1,\n      2.5,\n      null\n    ]\n  },\n  \"price\": \"$5\"\n}")

	req, err := http.NewRequest("POST", url, payload)
	if err != nil {
		panic(err)
	}
	req.Header.Add("Content-Type", "application/json")
	req.SetBasicAuth("ali ce", "p@ss:w'rd$\"\\")
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
