package appstream

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"

	"github.com/image-distributor/image-distributor/internal/config"
)

// lenient reads a JSON value as text whatever its type. The API's own
// examples send Code as a number on success and a string on error, and a
// body that types RequestId or Message otherwise must still be read for
// the fields it does carry. Objects, arrays and null read as empty.
type lenient string

func (l *lenient) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*l = lenient(s)
		return nil
	}
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] != '{' && b[0] != '[' && !isNull(b) {
		*l = lenient(b)
	}
	return nil
}

// envelope holds the fields every answer shares, success or error.
type envelope struct {
	Success   json.RawMessage
	Code      lenient
	Message   lenient
	RequestID lenient `json:"RequestId"`
}

// isNull reports whether raw is absent or JSON null.
func isNull(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// successCode reports whether an answer's Code means success: the API
// sends 200 (a number or a string) or nothing.
func successCode(code string) bool { return code == "" || code == "200" }

// check decides whether r is a success, and returns its request ID either
// way. Every answer is judged here by its status and envelope: a non-2xx
// answer by its code (or its status when it has none), a 2xx answer by
// Success, or by Code when Success is absent, since the SDK takes every
// 2xx for a success.
func (r reply) check(creds config.Credentials) (requestID string, err error) {
	var env envelope
	jsonErr := json.Unmarshal(r.body, &env)
	requestID = cmp.Or(string(env.RequestID), r.headerID)
	fail := func(code, msg string, class Class) (string, error) {
		return requestID, &Error{Code: code, Message: msg, RequestID: requestID, HTTPStatus: r.status, Class: class}
	}
	code := string(env.Code)
	switch {
	case r.status/100 != 2 && (jsonErr != nil || code == "" || r.tooLarge):
		return fail(CodeMalformed, "HTTP error without an API error code: "+redact(string(r.body), creds), Classify("", r.status))
	case r.status/100 != 2:
		return fail(code, redact(string(env.Message), creds), Classify(code, r.status))
	case r.tooLarge:
		return fail(CodeMalformed, fmt.Sprintf("response is larger than %d bytes", maxSuccessBody), Retryable)
	case jsonErr != nil:
		return fail(CodeMalformed, "response is not a JSON object", Retryable)
	}
	switch success := string(bytes.TrimSpace(env.Success)); {
	case success == "true":
		return requestID, nil
	case success == "false" && successCode(code):
		return fail(CodeMalformed, "Success is false without an error code", Retryable)
	case success == "false", isNull(env.Success) && !successCode(code):
		return fail(code, redact(string(env.Message), creds), Classify(code, r.status))
	case isNull(env.Success):
		return requestID, nil
	}
	return fail(CodeMalformed, "Success is not true or false", Retryable)
}
