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
// Each process Start runs gets an endpoint of its own (an instance); Addr
// is a shared one for tests that speak the protocol themselves.
type Runtime struct {
	opts Options
	ln   net.Listener
	srv  *http.Server

	done      chan struct{}
	closeOnce sync.Once
	served    sync.WaitGroup
	seq       atomic.Uint64

	mu sync.Mutex
	// waiting is the FIFO of invocations no poll has taken yet; a poll
	// takes one under mu, after checking its instance is alive, so a poll
	// an exited process left open can never win one. wake is closed and
	// replaced whenever one is queued.
	waiting   []*pending
	wake      chan struct{}
	inflight  map[string]*pending  // keyed by request id, until answered
	instances map[string]*instance // keyed by listener address
}

// pending is one invocation from Invoke until the function answers it.
type pending struct {
	inv     Invocation
	started time.Time // set by the /next handler that dispatched it
	inst    *instance // the instance it was dispatched to; nil on Addr
	result  chan delivery
}

// delivery is how an invocation ended: the function's answer, or err when
// none can come.
type delivery struct {
	res Result
	err error
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
		opts:      opts,
		ln:        ln,
		done:      make(chan struct{}),
		inflight:  make(map[string]*pending),
		instances: make(map[string]*instance),
	}
	r.srv = &http.Server{Handler: r.routes(), ReadHeaderTimeout: 10 * time.Second, ConnContext: r.connContext}
	r.serve(ln)
	return r, nil
}

// serve accepts connections on ln until Close.
func (r *Runtime) serve(ln net.Listener) {
	r.served.Add(1)
	go func() {
		defer r.served.Done()
		_ = r.srv.Serve(ln) // always ErrServerClosed after Close
	}()
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
		r.served.Wait()
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
