package appstream

import (
	"bytes"
	"io"
	"net/http"
)

// Bounds on what one call buffers of an answer. An error body is a few
// hundred bytes; a ListImage page of 100 images is a few hundred KB.
const (
	maxErrorBody   = 256 << 10
	maxSuccessBody = 8 << 20
)

// reply is the HTTP answer to one call, as recorder read it.
type reply struct {
	status int
	// headerID is the X-Acs-Request-Id header, the request ID of answers
	// whose body has none (an HTML page). The stand-in sends it; that the
	// gateway does is inferred.
	headerID string
	body     []byte
	tooLarge bool
}

// recorder reads every answer before the SDK does, so this package alone
// classifies each non-2xx answer, from its status and body, the same way
// whatever the body holds. The SDK's own error parser panics on a field
// that is not a string and keeps nothing of a body it cannot parse, so it
// is handed an empty body instead; 2xx bodies pass through unchanged.
// Each call gets its own recorder.
type recorder struct {
	rt  http.RoundTripper
	got *reply
}

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	ok := resp.StatusCode/100 == 2
	limit := maxErrorBody
	if ok {
		limit = maxSuccessBody
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, int64(limit)+1))
	resp.Body.Close()
	if err != nil {
		// Cut mid-body: nothing was answered as far as we can tell.
		return nil, err
	}
	*r.got = reply{status: resp.StatusCode, headerID: resp.Header.Get("X-Acs-Request-Id"), body: body}
	if len(body) > limit {
		r.got.body, r.got.tooLarge = body[:limit], true
	}
	if !ok || r.got.tooLarge {
		body = nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}
