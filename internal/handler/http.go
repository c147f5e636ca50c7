package handler

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/auth"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// httpResponse is the FC 3.0 HTTP-trigger response. The SDK's own type is
// the same JSON; this one keeps FC types out of our packages.
type httpResponse struct {
	StatusCode      int               `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
	Body            string            `json:"body"`
}

type httpError struct {
	Error ErrorInfo `json:"error"`
}

// allowedMethods answers a 405.
const allowedMethods = http.MethodGet + ", " + http.MethodPost

// serveHTTP authenticates the caller before it reads anything else. A GET
// asks where images are (serveQuery); a POST distributes the one image its
// body names, and the status says how it went: 200 when the copy started
// or already exists, 503 when a retry may work, 422 when it cannot.
func (h *Handler) serveHTTP(ctx context.Context, inv invocation, log zerolog.Logger, start time.Time, call *trigger.HTTPCall) httpResponse {
	if err := auth.Check(call.Token, h.cfg.HTTPTokenSHA256); err != nil {
		log.Warn().Str("source_ip", call.SourceIP).Str("status", "unauthorized").Msg("http request refused")
		return reply(http.StatusUnauthorized, httpError{ErrorInfo{Code: "Unauthorized", Message: "missing or invalid " + auth.Header}})
	}
	req, err := trigger.ParseHTTP(call)
	var ie *trigger.InputError
	if errors.As(err, &ie) {
		log.Warn().Str("source_ip", call.SourceIP).Str("error_code", ie.Code).Str("error_message", ie.Message).Int("http_status", ie.Status).Msg("http request rejected")
		resp := reply(ie.Status, httpError{ErrorInfo{Code: ie.Code, Message: ie.Message}})
		if ie.Status == http.StatusMethodNotAllowed {
			resp.Headers["Allow"] = allowedMethods
		}
		return resp
	}
	if req.Query {
		return h.serveQuery(ctx, inv, log, start, call.SourceIP, req.Image)
	}
	// An operator who retries by hand is answered from what is true now,
	// never from this instance's memory.
	res := h.run(ctx, inv, log, []trigger.Image{req.Image}, nil, false)
	c := tally(res.Results)
	h.summary(log, start, c, len(res.Skipped), nil)
	status := http.StatusOK
	switch {
	case c.retry > 0:
		status = http.StatusServiceUnavailable
	case c.byStatus[StatusFailed] > 0:
		status = http.StatusUnprocessableEntity
	}
	return reply(status, res)
}

func reply(status int, body any) httpResponse {
	b, err := json.Marshal(body)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"InternalError","message":"cannot encode the response"}}`)
	}
	resp := httpResponse{StatusCode: status, Headers: map[string]string{"Content-Type": "application/json"}, Body: string(b)}
	if status == http.StatusServiceUnavailable {
		resp.Headers["Retry-After"] = "60"
	}
	return resp
}
