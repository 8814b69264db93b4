package unread

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

func statusOnly(client *http.Client, req *http.Request) error {
	resp, err := client.Do(req) // want `response body from client.Do is closed without being read: net/http closes an HTTP/1.x connection`
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

func closedAtOnce(url string) (int, error) {
	resp, err := http.Get(url) // want `response body from http.Get is closed without being read`
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func keptInVariable(url string) error {
	var resp *http.Response
	var err error
	resp, err = http.Post(url, "text/plain", nil) // want `response body from http.Post is closed without being read`
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return errors.New(resp.Status)
	}
	return nil
}

func closedInClosure(url string) error {
	resp, err := http.Get(url) // ok: closures are not followed (one might drain first)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	return nil
}

func drained(url string) error {
	resp, err := http.Get(url) // ok: read to EOF before Close
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func decoded(url string, v any) error {
	resp, err := http.Get(url) // ok: read (a decoder may stop early, but the body was read)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

func scanned(url string) error {
	resp, err := http.Get(url) // ok
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		fmt.Println(sc.Text())
	}
	return sc.Err()
}

func readDirectly(url string) error {
	resp, err := http.Get(url) // ok: Read
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf := make([]byte, 512)
	_, err = resp.Body.Read(buf)
	return err
}

func head(url string) (int, error) {
	resp, err := http.Head(url) // ok: a HEAD response has no body
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func headDo(client *http.Client, url string) (int, error) {
	req, err := http.NewRequest("HEAD", url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req) // ok: HEAD
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func helperCloses(url string) error {
	resp, err := http.Get(url) // ok: the helper may drain it
	if err != nil {
		return err
	}
	defer drainAndClose(resp)
	return nil
}

func drainAndClose(resp *http.Response) {
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func passedOn(url string) error {
	resp, err := http.Get(url) // ok: check may read the body
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return check(resp)
}

func check(resp *http.Response) error {
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		return errors.New(string(b))
	}
	return nil
}

func returned(url string) (*http.Response, error) {
	resp, err := http.Get(url) // ok: the caller owns it
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func wrapped(url string) error {
	resp, err := http.Get(url) // ok: the body is replaced and read through the wrapper
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	resp.Body = io.NopCloser(io.LimitReader(resp.Body, 1<<20))
	_, err = io.ReadAll(resp.Body)
	return err
}

func neverClosed(url string) int {
	resp, err := http.Get(url) // want `response body from http.Get is never closed`
	if err != nil {
		return 0
	}
	return resp.StatusCode
}

func headHelper(client *http.Client, url string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodHead, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func viaHeadHelper(client *http.Client, url string) (int64, error) {
	resp, err := headHelper(client, url) // ok: a HEAD response through a helper
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.ContentLength, nil
}

func getHelper(client *http.Client, url string) (*http.Response, error) {
	return client.Get(url)
}

func viaGetHelper(client *http.Client, url string) (int, error) {
	resp, err := getHelper(client, url) // want `response body from getHelper is closed without being read`
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func headNeverClosed(client *http.Client, url string) int64 {
	resp, err := headHelper(client, url) // ok: a HEAD response holds no connection, closed or not
	if err != nil {
		return 0
	}
	return resp.ContentLength
}
