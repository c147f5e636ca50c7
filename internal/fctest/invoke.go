package fctest

import (
	"context"
	"fmt"
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
// invocation, ctx ended, or the runtime was closed. Function failures come
// back in Result.Error. Invoke is safe for concurrent use.
func (r *Runtime) Invoke(ctx context.Context, inv Invocation) (Result, error) {
	if len(inv.Event) > maxPayload {
		return Result{}, fmt.Errorf("fctest: invoke: event is %d bytes, limit %d", len(inv.Event), maxPayload)
	}
	if inv.RequestID == "" {
		inv.RequestID = r.newRequestID()
	} else if !urlSafe(inv.RequestID) {
		return Result{}, fmt.Errorf("fctest: invoke: request id %q is not URL-safe", inv.RequestID)
	}
	p := &pending{inv: inv, result: make(chan Result, 1)}
	// Register before queueing so an answer can never beat the bookkeeping.
	if err := r.register(p); err != nil {
		return Result{}, err
	}
	defer r.unregister(inv.RequestID)

	select {
	case r.queue <- p:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("fctest: invoke %s: waiting for /next: %w", inv.RequestID, ctx.Err())
	case <-r.done:
		return Result{}, errClosed
	}
	select {
	case res := <-p.result:
		return res, nil
	case <-ctx.Done():
		return Result{}, fmt.Errorf("fctest: invoke %s: waiting for result: %w", inv.RequestID, ctx.Err())
	case <-r.done:
		return Result{}, errClosed
	}
}

func (r *Runtime) register(p *pending) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.inflight[p.inv.RequestID]; dup {
		return fmt.Errorf("fctest: invoke: request id %q already in flight", p.inv.RequestID)
	}
	r.inflight[p.inv.RequestID] = p
	return nil
}

func (r *Runtime) unregister(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.inflight, id)
}

// dispatched records that p has been handed to the function. The mutex
// orders it before take, which the race detector cannot see via TCP.
func (r *Runtime) dispatched(p *pending) time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	p.started = time.Now()
	return p.started
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
