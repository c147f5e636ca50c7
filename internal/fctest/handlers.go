package fctest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

const apiPrefix = "/2020-11-11/runtime/invocation/"

func (r *Runtime) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+apiPrefix+"next", r.next)
	mux.HandleFunc("POST "+apiPrefix+"{id}/response", r.answer(false))
	mux.HandleFunc("POST "+apiPrefix+"{id}/error", r.answer(true))
	return mux
}

// next long-polls for the next invocation. It never replies with an error
// status: the SDK retries a failed /next immediately, with no backoff, so an
// error reply would turn into a busy loop. On Close it just hangs up.
func (r *Runtime) next(w http.ResponseWriter, req *http.Request) {
	p := r.dispatch(req.Context(), instanceOf(req.Context()))
	if p == nil {
		return // the poller went away, or its process exited; nothing taken
	}
	started := p.started
	timeout := p.inv.Timeout
	if timeout <= 0 {
		timeout = r.opts.Timeout
	}
	h := w.Header()
	// Both deadline and timeout are mandatory: without either the SDK logs
	// a parse error and never answers the invocation.
	h.Set("x-fc-request-id", p.inv.RequestID)
	h.Set("x-fc-function-deadline", strconv.FormatInt(started.Add(timeout).UnixMilli(), 10))
	h.Set("x-fc-function-timeout", strconv.Itoa(timeoutSeconds(timeout)))
	h.Set("x-fc-function-type", strconv.Itoa(p.inv.FunctionType))
	h.Set("x-fc-retry-count", strconv.Itoa(p.inv.RetryCount))
	h.Set("x-fc-access-key-id", r.opts.Credentials.AccessKeyID)
	h.Set("x-fc-access-key-secret", r.opts.Credentials.AccessKeySecret)
	h.Set("x-fc-security-token", r.opts.Credentials.SecurityToken)
	h.Set("x-fc-region", r.opts.Region)
	h.Set("x-fc-account-id", r.opts.AccountID)
	h.Set("x-fc-function-name", r.opts.FunctionName)
	h.Set("x-fc-function-handler", "main")
	h.Set("x-fc-function-memory", "128")
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(p.inv.Event)))
	w.WriteHeader(http.StatusOK)
	// A poller that died after the take surfaces as ErrInstanceExited (for
	// a process Start ran) or as the Invoke's ctx ending (on Addr).
	_, _ = w.Write(p.inv.Event)
}

// timeoutSeconds rounds up so that a sub-second timeout still reads as 1s,
// as FC's whole-second timeouts never go below 1.
func timeoutSeconds(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// answer records a /response (isError false) or /error post and completes
// the waiting Invoke.
func (r *Runtime) answer(isError bool) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		id := req.PathValue("id")
		body, readErr := io.ReadAll(http.MaxBytesReader(w, req.Body, maxPayload))
		var tooBig *http.MaxBytesError
		if readErr != nil && !errors.As(readErr, &tooBig) {
			http.Error(w, "read body: "+readErr.Error(), http.StatusBadRequest)
			return
		}
		p, ok := r.take(id)
		if !ok {
			http.Error(w, fmt.Sprintf("unknown request id %q", id), http.StatusNotFound)
			return
		}
		res := Result{RequestID: id, Duration: time.Since(p.started)}
		switch {
		case tooBig != nil:
			// FC turns an oversized result into an error for the caller.
			res.Error = &ErrorBody{
				ErrorType:    "ResponseTooLarge",
				ErrorMessage: fmt.Sprintf("function result exceeds %d bytes", maxPayload),
			}
		case isError:
			res.Error = decodeError(body)
		default:
			res.Payload = body
		}
		p.result <- delivery{res: res} // buffered, and take guarantees a single sender
		if tooBig != nil {
			http.Error(w, res.Error.ErrorMessage, http.StatusRequestEntityTooLarge)
		}
	}
}

// decodeError parses an /error body, keeping the raw text if it is not the
// SDK's JSON so a test still sees what was sent.
func decodeError(body []byte) *ErrorBody {
	var e ErrorBody
	if err := json.Unmarshal(body, &e); err != nil {
		return &ErrorBody{ErrorType: "InvalidErrorBody", ErrorMessage: string(body)}
	}
	return &e
}
