package main

import (
	"fmt"
	"io"
	"net/http"
)

func main() {
	url := "http://127.0.0.1:8080/search?q=caf%C3%A9%20%26%20cr%C3%A8me&sign=a%2Bb=c&shell=$HOME%20%27x%27%20%22y%22"
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		panic(err)
	}
	req.Header.Add("X-Quote", "it's \"quoted\" \\ $HOME")
	req.Header.Add("Authorization", "Bearer t0k$en'\"")
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
