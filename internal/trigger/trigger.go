// Package trigger turns the raw bytes Function Compute hands the function
// into a typed request: an EventBridge delivery, an HTTP-trigger call or a
// timer tick. It does no I/O; everything it rejects gets an InputError that
// says what was expected.
package trigger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/ids"
)

// Kind names the trigger that produced an event.
type Kind string

// The trigger kinds the function serves.
const (
	KindEvent Kind = "eventbridge"
	KindHTTP  Kind = "http"
	KindTimer Kind = "timer"
)

// MaxEventBytes bounds what Decode will parse. FC's own payload limit is
// about this size; anything larger is hostile or a misrouted trigger.
const MaxEventBytes = 6 << 20

// Request is a decoded invocation.
type Request struct {
	Kind   Kind
	Images []Image
	// Skipped lists events that were well-formed but carry nothing to
	// distribute, such as an ActionTrail record of a failed API call.
	Skipped []Skip
	// HTTP is set for HTTP-trigger invocations; its body is parsed by
	// ParseHTTP after the caller is authenticated.
	HTTP *HTTPCall
	// TickTime is a timer tick's own triggerTime; zero when absent or not
	// RFC 3339.
	TickTime time.Time
}

// Skip records an event that was deliberately not acted on.
type Skip struct {
	EventID string `json:"eventId,omitempty"`
	Reason  string `json:"reason"`
}

// Decode recognises the trigger by the event's shape. When some items of a
// batch are rejected, the Request still holds every valid image alongside
// the error, so one bad item never holds back the rest. An EventBridge
// delivery may be a single CloudEvent, an array of them, or an array of
// JSON strings each holding one (the event-streaming form).
func Decode(raw []byte) (Request, error) {
	if len(raw) > MaxEventBytes {
		return Request{}, inputErr(413, "EventTooLarge", fmt.Sprintf("event is %d bytes, more than the %d allowed", len(raw), MaxEventBytes))
	}
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return Request{}, inputErr(400, "EmptyEvent", "event is empty; "+expected)
	}
	switch trimmed[0] {
	case '[':
		return decodeBatch(trimmed)
	case '{':
		return decodeObject(trimmed)
	}
	return Request{}, inputErr(400, "UnknownEvent", "event is not a JSON object or array; "+expected)
}

const expected = "expected a CloudEvent (specversion, source, type, data) or an array of them, " +
	"an HTTP-trigger event (version, requestContext, body) or a timer event (triggerTime, triggerName, payload)"

// shape holds the keys that tell the trigger kinds apart.
type shape struct {
	SpecVersion    *string         `json:"specversion"`
	Source         *string         `json:"source"`
	Type           *string         `json:"type"`
	Data           json.RawMessage `json:"data"`
	RequestContext json.RawMessage `json:"requestContext"`
	TriggerTime    *string         `json:"triggerTime"`
	TriggerName    *string         `json:"triggerName"`
}

func decodeObject(raw []byte) (Request, error) {
	var s shape
	if err := json.Unmarshal(raw, &s); err != nil {
		return Request{}, inputErr(400, "MalformedEvent", "event is not valid JSON: "+jsonMessage(err))
	}
	switch {
	case s.SpecVersion != nil || (s.Source != nil && s.Type != nil && s.Data != nil):
		return decodeBatch(append(append([]byte{'['}, raw...), ']'))
	case s.RequestContext != nil:
		return decodeHTTP(raw)
	case s.TriggerTime != nil || s.TriggerName != nil:
		return decodeTimer(raw)
	}
	return Request{}, inputErr(400, "UnknownEvent", "event shape not recognised; "+expected)
}

// jsonMessage keeps a decoder error useful without echoing the input: it
// names JSON kinds rather than Go types and bounds what it quotes.
func jsonMessage(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("syntax error at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		if e.Field == "" {
			return fmt.Sprintf("must be %s, not %s", jsonKind(e.Type), e.Value)
		}
		return fmt.Sprintf("field %q must be %s, not %s", e.Field, jsonKind(e.Type), e.Value)
	}
	switch err {
	case io.EOF:
		return "no JSON value"
	case io.ErrUnexpectedEOF:
		return "JSON ends early"
	}
	// The remaining decoder errors, such as an unknown field, quote input.
	return ids.Clip(strings.TrimPrefix(err.Error(), "json: "), 80)
}

// jsonKind describes the JSON a Go type accepts.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}
