package fctest

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Invocation is one event to deliver to the function.
type Invocation struct {
	Event        []byte
	RequestID    string        // default: unique, URL-safe ("req-<n>-<random>")
	Timeout      time.Duration // overrides Options.Timeout for this invocation
	RetryCount   int           // x-fc-retry-count
	FunctionType int           // x-fc-function-type: 0 invoke, 1 initializer, 2 preStop, 3 preFreeze
}

// Result is what the function posted back for one invocation.
type Result struct {
	RequestID string
	Payload   []byte     // body posted to /response
	Error     *ErrorBody // non-nil if posted to /error
	// Duration runs from handing the event to the function (/next) until
	// its answer arrived, i.e. the execution time FC would bill.
	Duration time.Duration
}

// ErrorBody is the JSON the SDK posts to /error. ErrorType is the Go type
// name of the returned error (or panic value); StackTrace is set for panics.
type ErrorBody struct {
	ErrorMessage string       `json:"errorMessage"`
	ErrorType    string       `json:"errorType"`
	StackTrace   []StackFrame `json:"stackTrace,omitempty"`
}

// StackFrame is one frame of a recovered panic's stack.
type StackFrame struct {
	Path  string `json:"path"`
	Line  int    `json:"line"`
	Label string `json:"label"`
}

// Invoke queues inv and blocks until the function posts its result. It
// returns an error only when the emulator could not get an answer: a bad
// invocation, ctx ended, the runtime was closed, or the process the
// invocation was handed to exited first (ErrInstanceExited). Function
// failures come back in Result.Error. Invoke is safe for concurrent use.
func (r *Runtime) Invoke(ctx context.Context, inv Invocation) (Result, error) {
	if len(inv.Event) > maxPayload {
		return Result{}, fmt.Errorf("fctest: invoke: event is %d bytes, limit %d", len(inv.Event), maxPayload)
	}
	if inv.RequestID == "" {
		inv.RequestID = r.newRequestID()
	} else if !urlSafe(inv.RequestID) {
		return Result{}, fmt.Errorf("fctest: invoke: request id %q is not URL-safe", inv.RequestID)
	}
	p := &pending{inv: inv, result: make(chan delivery, 1)}
	if err := r.enqueue(p); err != nil {
		return Result{}, err
	}
	defer r.unregister(inv.RequestID)

	select {
	case d := <-p.result:
		return d.res, d.err
	case <-ctx.Done():
		if r.withdraw(p) {
			return Result{}, fmt.Errorf("fctest: invoke %s: waiting for /next: %w", inv.RequestID, ctx.Err())
		}
		return Result{}, fmt.Errorf("fctest: invoke %s: waiting for result: %w", inv.RequestID, ctx.Err())
	case <-r.done:
		return Result{}, errClosed
	}
}

// enqueue registers p, so that an answer can never beat the bookkeeping,
// queues it and wakes the polls.
func (r *Runtime) enqueue(p *pending) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	select {
	case <-r.done:
		return errClosed
	default:
	}
	if _, dup := r.inflight[p.inv.RequestID]; dup {
		return fmt.Errorf("fctest: invoke: request id %q already in flight", p.inv.RequestID)
	}
	r.inflight[p.inv.RequestID] = p
	r.waiting = append(r.waiting, p)
	if r.wake != nil {
		close(r.wake)
		r.wake = nil
	}
	return nil
}

// withdraw takes p off the queue if no poll has taken it yet, and reports
// whether it did.
func (r *Runtime) withdraw(p *pending) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, q := range r.waiting {
		if q == p {
			r.waiting = append(r.waiting[:i], r.waiting[i+1:]...)
			return true
		}
	}
	return false
}

// dispatch waits for an invocation for a poll from inst (nil on Addr) and
// takes it, or returns nil once the poller left or inst's process exited:
// a poll of a dead process never takes an invocation. It panics with
// http.ErrAbortHandler on Close, to hang up without a response.
func (r *Runtime) dispatch(ctx context.Context, inst *instance) *pending {
	for {
		r.mu.Lock()
		if inst.goneLocked() || ctx.Err() != nil {
			r.mu.Unlock()
			return nil
		}
		if len(r.waiting) > 0 {
			p := r.waiting[0]
			r.waiting = r.waiting[1:]
			// Stamped under mu, which orders it before take: the race
			// detector cannot see the ordering through TCP.
			p.started, p.inst = time.Now(), inst
			r.mu.Unlock()
			return p
		}
		if r.wake == nil {
			r.wake = make(chan struct{})
		}
		wake := r.wake
		r.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return nil
		case <-inst.goneChan():
			return nil
		case <-r.done:
			panic(http.ErrAbortHandler) // drop the connection without a response
		}
	}
}

func (r *Runtime) unregister(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.inflight, id)
}

// take removes and returns the in-flight invocation id, so that each
// invocation is answered at most once.
func (r *Runtime) take(id string) (*pending, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.inflight[id]
	delete(r.inflight, id)
	return p, ok
}
