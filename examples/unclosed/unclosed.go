// Package unclosed is an instance of the pitfall asynclint's unclosed
// check reports: a client of an upstream API that leaks the response
// body, and with it the connection, whenever the upstream answers with
// an error status.
package unclosed

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Price is one quote from the upstream pricing service.
type Price struct {
	SKU   string `json:"sku"`
	Cents int64  `json:"cents"`
}

// Client talks to the pricing service.
type Client struct {
	base string
	http *http.Client
}

// NewClient returns a client of the pricing service at base.
func NewClient(base string, hc *http.Client) *Client {
	return &Client{base: base, http: hc}
}

// Quote fetches the price of sku. When the service is overloaded it
// answers 503 many times a second; each of those responses keeps its
// connection out of the pool, so the client dials a new one for the next
// request until the process runs out of file descriptors.
func (c *Client) Quote(ctx context.Context, sku string) (*Price, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/v1/prices/"+url.PathEscape(sku), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("pricing: %s: %s", sku, resp.Status) // leaks resp.Body
	}
	defer resp.Body.Close()
	var p Price
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return nil, err
	}
	return &p, nil
}

// QuoteAll fetches the prices of skus for a nightly report. Each
// iteration builds a client with a Transport of its own: a connection
// pool per request, whose idle connections are never reused and never
// closed, so every run leaves a socket per SKU open until the upstream
// times it out.
func QuoteAll(ctx context.Context, base string, skus []string) ([]*Price, error) {
	var out []*Price
	for _, sku := range skus {
		hc := &http.Client{Transport: &http.Transport{}}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/prices/"+url.PathEscape(sku), nil)
		if err != nil {
			return nil, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		var p Price
		err = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, &p)
	}
	return out, nil
}
