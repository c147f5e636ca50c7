package appstreamtest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"time"
)

// hostID is what the real gateway reports as HostId for the China site.
const hostID = "appstream-center.cn-shanghai.aliyuncs.com"

// maxBody bounds what the fake reads; real requests are a few hundred bytes.
const maxBody = 1 << 20

// answer is what the server decided to send. It is recorded before it is
// written, so a client that reads Calls right after its response always
// finds its own call there.
type answer struct {
	status int
	code   string
	taskID string
	body   []byte
	reset  bool          // close the connection without a response
	gone   bool          // the client left while we waited; nothing to send
	delay  time.Duration // held after the latency (FaultSlow)
}

// serve is the single HTTP handler: gateway checks, throttling, dispatch.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	call := Call{Method: r.Method, At: time.Now(), RequestID: newRequestID()}
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	act, refused, ok := s.admit(r, &call)
	if !ok {
		s.finish(w, r, &call, refused, true)
		return
	}
	var a answer
	if s.allow(call.At) {
		a = s.run(act, r.Context(), &call)
	} else {
		a = errorAnswer(call.RequestID, ErrorResponse("Throttling.User"))
	}
	s.finish(w, r, &call, a, false)
}

// allow applies the QPS limit and counts refusals.
func (s *Server) allow(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bucket.allow(now) {
		return true
	}
	s.throttled++
	return false
}

// finish records the call, waits out the latency and sends a.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, c *Call, a answer, rejected bool) {
	c.Status, c.Code, c.TaskID = a.status, a.code, a.taskID
	s.mu.Lock()
	if rejected {
		s.rejected = append(s.rejected, *c)
	} else {
		s.calls = append(s.calls, *c)
	}
	if c.Fault != "" {
		s.faults.counted[Injection{c.Action, c.Fault}]++
	}
	latency := s.latency
	s.mu.Unlock()

	if a.gone || !s.sleep(r.Context(), latency+a.delay) {
		return
	}
	if a.reset {
		reset(w)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.Header().Set("X-Acs-Request-Id", c.RequestID)
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// reset drops the connection with an RST (linger 0) so the client sees
// "connection reset by peer" rather than a clean EOF.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("appstreamtest: response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// sleep waits d and reports false if the client left or the server closed
// first. It never holds the mutex, so slow calls do not serialise others.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// errorBody mirrors the real gateway's error JSON, field order included.
type errorBody struct {
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
	Code      string `json:"Code"`
	Message   string `json:"Message"`
	Recommend string `json:"Recommend"`
}

// errorAnswer renders r (Status, Code and Message all set) as a gateway error.
func errorAnswer(requestID string, r Response) answer {
	body, _ := json.Marshal(errorBody{
		RequestID: requestID,
		HostID:    hostID,
		Code:      r.Code,
		Message:   r.Message,
		Recommend: "https://api.aliyun.com/troubleshoot?q=" + url.QueryEscape(r.Code) +
			"&product=appstream-center&requestId=" + requestID,
	})
	return answer{status: r.Status, code: r.Code, body: body}
}

// newRequestID returns an uppercase UUID-shaped id, as the gateway sends.
func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%X-%X-%X-%X-%X", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// newTaskID returns "tid-" and 17 lowercase alphanumerics, like the
// documented example tid-06xnr5lyp77e7****.
func newTaskID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := []byte("tid-")
	for range 17 {
		b = append(b, alphabet[mrand.IntN(len(alphabet))])
	}
	return string(b)
}
