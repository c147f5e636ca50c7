// Package fctest emulates the Function Compute runtime API so the real compiled function can be driven locally and in tests.
package fctest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// maxPayload mirrors FC's 6 MiB limit on synchronous event and response
// bodies, so a function that only works with larger payloads fails here too.
const maxPayload = 6 << 20

// errClosed is returned by Invoke once the runtime has been closed.
var errClosed = errors.New("fctest: runtime closed")

// Credentials are the temporary STS credentials FC hands to each invocation.
type Credentials struct{ AccessKeyID, AccessKeySecret, SecurityToken string }

// Options configure the metadata the runtime sends with every invocation.
type Options struct {
	Timeout      time.Duration // function timeout; default 60s; sets x-fc-function-deadline (epoch ms) and x-fc-function-timeout (int seconds, at least 1)
	Credentials  Credentials   // sent as x-fc-access-key-id / -secret / x-fc-security-token
	Region       string        // x-fc-region; default cn-shanghai
	AccountID    string        // x-fc-account-id; default 1234567890123456
	FunctionName string        // x-fc-function-name; default image-distributor
}

// Runtime is a local FC runtime API server. The function binary long-polls
// it for invocations and posts results back, exactly as it does in FC.
type Runtime struct {
	opts Options
	ln   net.Listener
	srv  *http.Server

	// queue is unbuffered: an Invoke waits in its send until a /next poll
	// takes it, which gives a FIFO-ish queue with clean cancellation.
	queue     chan *pending
	done      chan struct{}
	closeOnce sync.Once
	served    chan struct{}
	seq       atomic.Uint64

	mu       sync.Mutex
	inflight map[string]*pending // keyed by request id, until /response or /error
}

// pending is one invocation from Invoke until the function answers it.
type pending struct {
	inv     Invocation
	started time.Time // set by the /next handler that dispatched it
	result  chan Result
}

// NewRuntime starts a runtime API server on a free loopback port.
func NewRuntime(opts Options) (*Runtime, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	opts.Region = orDefault(opts.Region, "cn-shanghai")
	opts.AccountID = orDefault(opts.AccountID, "1234567890123456")
	opts.FunctionName = orDefault(opts.FunctionName, "image-distributor")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fctest: listen: %w", err)
	}
	r := &Runtime{
		opts:     opts,
		ln:       ln,
		queue:    make(chan *pending),
		done:     make(chan struct{}),
		served:   make(chan struct{}),
		inflight: make(map[string]*pending),
	}
	r.srv = &http.Server{Handler: r.routes(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(r.served)
		_ = r.srv.Serve(ln) // always ErrServerClosed after Close
	}()
	return r, nil
}

// Addr is the host:port the function must find in FC_RUNTIME_API.
func (r *Runtime) Addr() string { return r.ln.Addr().String() }

// Close fails pending and future Invokes, hangs up pending /next polls and
// stops the server. Stop the function process first: once the server is gone
// the SDK retries /next in a tight loop.
func (r *Runtime) Close() {
	r.closeOnce.Do(func() {
		close(r.done)
		_ = r.srv.Close()
		<-r.served
	})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// newRequestID returns a unique id that is safe to put in a URL path, since
// the SDK pastes it verbatim into the /response and /error URLs.
func (r *Runtime) newRequestID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return fmt.Sprintf("req-%d-%s", r.seq.Add(1), hex.EncodeToString(b))
}

// urlSafe reports whether id consists only of RFC 3986 unreserved characters.
func urlSafe(id string) bool {
	for _, c := range id {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~'
		if !ok {
			return false
		}
	}
	return id != "" && id != "." && id != ".."
}
