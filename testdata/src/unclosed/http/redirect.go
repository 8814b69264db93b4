package http

import "net/http"

type response struct{ *http.Response }

// The redirected response is never closed; the caller gets the first
// one (github.com/hashicorp/vault/api's Client.rawRequestWithContext).
func redirect(c *http.Client, req *http.Request) (*response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	result := &response{resp}
	if resp.StatusCode == http.StatusTemporaryRedirect {
		loc, err := resp.Location()
		if err != nil {
			return result, err
		}
		req.URL = loc
		resp, err = c.Do(req) // want `response body from c.Do is never closed`
		if err != nil {
			return result, err
		}
	}
	return result, nil
}
