package appstreamtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Bodies of the faults no document shows (inferred): Alibaba Cloud's
// front ends are Tengine, which renders nginx-style pages.
const (
	html502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n"
	html429 = "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n"
)

// numericRequestID is the RequestId FaultNumericRequestID sends.
const numericRequestID = 12345

// run answers a call that passed the gateway and the QPS limit: the
// action, with the fault the injector draws for it played around it.
func (s *Server) run(act action, ctx context.Context, c *Call) answer {
	s.mu.Lock()
	f, variant := s.drawLocked(c)
	slow := s.faults.SlowDelay
	s.mu.Unlock()

	if a, ok := before(f, variant, c.RequestID); ok {
		c.Fault = f
		return a
	}
	a := act(s, ctx, c)
	if f == "" || a.gone {
		return a
	}
	if after(f, &a, slow) {
		c.Fault = f
	}
	return a
}

// before returns the answer of a fault that leaves the action undone.
func before(f Fault, variant int, requestID string) (answer, bool) {
	switch f {
	case FaultThrottling:
		return errorAnswer(requestID, ErrorResponse("Throttling.User")), true
	case FaultTooManyRequests:
		switch variant {
		case 0:
			r := ErrorResponse("Throttling")
			r.Status = http.StatusTooManyRequests
			return errorAnswer(requestID, r), true
		case 1:
			return answer{status: http.StatusTooManyRequests, body: []byte(html429)}, true
		}
		return answer{status: http.StatusTooManyRequests}, true
	case FaultUnavailable:
		return errorAnswer(requestID, ErrorResponse("ServiceUnavailable")), true
	case FaultServerError:
		return errorAnswer(requestID, InternalServerError()), true
	case FaultReset:
		return answer{reset: true}, true
	case FaultNumericCode:
		body := fmt.Sprintf(`{"RequestId":%q,"HostId":%q,"Code":503,"Message":"Service busy, please retry."}`, requestID, hostID)
		return answer{status: http.StatusServiceUnavailable, code: "503", body: []byte(body)}, true
	case FaultHTML:
		return answer{status: http.StatusBadGateway, body: []byte(html502)}, true
	}
	return answer{}, false
}

// after spoils a's answer for f, once the action has run. It reports
// false when f cannot apply to a, which is then sent as it is.
func after(f Fault, a *answer, slow time.Duration) bool {
	ok := a.status/100 == 2
	switch f {
	case FaultLostReply:
		// The call is recorded unanswered, its task ID kept: issued,
		// never delivered.
		a.reset, a.status, a.code = true, 0, ""
		return true
	case FaultSlow:
		a.delay = slow
		return true
	case FaultTruncated:
		if ok {
			a.body = a.body[:len(a.body)/2]
		}
		return ok
	case FaultNoData:
		return ok && rewrite(a, func(m map[string]json.RawMessage) { delete(m, "Data") })
	case FaultNumericRequestID:
		return rewrite(a, func(m map[string]json.RawMessage) { m["RequestId"] = json.RawMessage(fmt.Sprint(numericRequestID)) })
	}
	return false
}

// rewrite edits a's JSON object body with edit; false if it is not one.
func rewrite(a *answer, edit func(map[string]json.RawMessage)) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(a.body, &m) != nil || m == nil {
		return false
	}
	edit(m)
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(m) != nil {
		return false
	}
	a.body = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return true
}
