package trigger

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/image-distributor/image-distributor/internal/ids"
)

// MaxBodyBytes bounds an HTTP request body. A request names one image, a
// few hundred bytes; anything near this limit is not a real request.
const MaxBodyBytes = 64 << 10

// HTTPCall is an HTTP-trigger invocation before its body is trusted.
type HTTPCall struct {
	Method string
	Path   string
	// Token is the X-Distributor-Token header, checked by package auth.
	Token       string
	ContentType string
	SourceIP    string
	Body        string
	Base64      bool
	// Query holds the query parameters; FC joins a repeated one's values
	// with commas. Nil when there are none.
	Query map[string]string
}

// httpEvent is the FC 3.0 HTTP-trigger event. Headers arrive with the
// client's spelling, so they are looked up case-insensitively.
type httpEvent struct {
	Version         string            `json:"version"`
	RawPath         string            `json:"rawPath"`
	Body            string            `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
	Headers         map[string]string `json:"headers"`
	QueryParameters map[string]string `json:"queryParameters"`
	RequestContext  struct {
		HTTP struct {
			Method   string `json:"method"`
			Path     string `json:"path"`
			SourceIP string `json:"sourceIp"`
		} `json:"http"`
	} `json:"requestContext"`
}

func decodeHTTP(raw []byte) (Request, error) {
	var ev httpEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		return Request{}, inputErr(400, "MalformedEvent", "HTTP-trigger event: "+jsonMessage(err))
	}
	if ev.RequestContext.HTTP.Method == "" {
		return Request{}, inputErr(400, "MalformedEvent", "HTTP-trigger event has no requestContext.http.method")
	}
	call := &HTTPCall{
		Method:      strings.ToUpper(ev.RequestContext.HTTP.Method),
		Path:        ev.RequestContext.HTTP.Path,
		Token:       header(ev.Headers, "X-Distributor-Token"),
		ContentType: header(ev.Headers, "Content-Type"),
		SourceIP:    ev.RequestContext.HTTP.SourceIP,
		Body:        ev.Body,
		Base64:      ev.IsBase64Encoded,
	}
	if len(ev.QueryParameters) > 0 {
		call.Query = ev.QueryParameters
	}
	return Request{Kind: KindHTTP, HTTP: call}, nil
}

// header looks a header up case-insensitively. Two spellings with
// different values are ambiguous, and an ambiguous token must not depend
// on map order, so the header then counts as absent.
func header(h map[string]string, name string) string {
	found, value := false, ""
	for k, v := range h {
		if !strings.EqualFold(k, name) {
			continue
		}
		if found && v != value {
			return ""
		}
		found, value = true, v
	}
	return value
}

// HTTPRequest is what an authenticated HTTP call asks for.
type HTTPRequest struct {
	// Query is true for a GET: where Image is, or where every managed
	// image is when Image has no ID. Nothing is started.
	Query bool
	// Image is, for a POST, the image to distribute; for a GET, the image
	// asked about, with the version and destination regions the query
	// names.
	Image Image
}

// ParseHTTP checks an authenticated call and parses what it asks for:
// POST distributes the image its JSON body names (JSON only,
// size-limited); GET asks where an image is (see parseQuery). Every ID is
// validated; any other method is refused.
func ParseHTTP(c *HTTPCall) (HTTPRequest, error) {
	switch c.Method {
	case http.MethodPost:
		img, err := parseBody(c)
		return HTTPRequest{Image: img}, err
	case http.MethodGet:
		return parseQuery(c)
	}
	return HTTPRequest{}, inputErr(405, "MethodNotAllowed",
		fmt.Sprintf("method %s is not allowed; use POST to distribute an image or GET to ask where it is", ids.Clip(c.Method, 16)))
}

// parseBody reads a POST's image.
func parseBody(c *HTTPCall) (Image, error) {
	if c.ContentType != "" {
		mt, _, err := mime.ParseMediaType(c.ContentType)
		if err != nil || mt != "application/json" {
			return Image{}, inputErr(415, "UnsupportedMediaType", "Content-Type must be application/json")
		}
	}
	if len(c.Body) > base64.StdEncoding.EncodedLen(MaxBodyBytes) {
		return Image{}, inputErr(413, "BodyTooLarge", fmt.Sprintf("body is larger than %d bytes", MaxBodyBytes))
	}
	body := []byte(c.Body)
	if c.Base64 {
		var err error
		if body, err = base64.StdEncoding.DecodeString(c.Body); err != nil {
			return Image{}, inputErr(400, "MalformedBody", "body is marked base64 but does not decode")
		}
	}
	if len(body) > MaxBodyBytes {
		return Image{}, inputErr(413, "BodyTooLarge", fmt.Sprintf("body is larger than %d bytes", MaxBodyBytes))
	}
	img, err := decodeImage(body)
	if err != nil {
		return Image{}, inputErr(400, "InvalidRequest", "body: "+err.Error())
	}
	return img, nil
}
