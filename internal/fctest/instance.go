package fctest

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// ErrInstanceExited fails an Invoke whose invocation was handed to a
// function process that then exited without answering. FC answers such an
// invocation with an error too (its message is not documented; inferred),
// and never hands an invocation to an instance it knows is gone.
var ErrInstanceExited = errors.New("the function instance exited before answering")

// instance is one function process's own endpoint on the runtime, as in FC
// each instance talks to a runtime API of its own. It tells the runtime
// which instance a poll came from, so that a poll an exited process left
// open never takes an invocation, and what that instance took is failed
// at once rather than left waiting for an answer that cannot come.
type instance struct {
	ln   net.Listener
	gone chan struct{} // closed, under Runtime.mu, once the process exited
}

// instanceKey carries a connection's *instance in its context.
type instanceKey struct{}

// instanceOf is the instance a request came from; nil for the runtime's
// shared address (Addr), which tests speak to directly.
func instanceOf(ctx context.Context) *instance {
	inst, _ := ctx.Value(instanceKey{}).(*instance)
	return inst
}

// connContext tags each accepted connection with its listener's instance.
func (r *Runtime) connContext(ctx context.Context, c net.Conn) context.Context {
	r.mu.Lock()
	inst := r.instances[c.LocalAddr().String()]
	r.mu.Unlock()
	if inst == nil {
		return ctx
	}
	return context.WithValue(ctx, instanceKey{}, inst)
}

// attach opens an endpoint for one new function process.
func (r *Runtime) attach() (*instance, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("fctest: listen for an instance: %w", err)
	}
	inst := &instance{ln: ln, gone: make(chan struct{})}
	r.mu.Lock()
	r.instances[ln.Addr().String()] = inst
	r.mu.Unlock()
	r.serve(ln)
	return inst, nil
}

// detach records that inst's process exited with exitErr: its polls take
// nothing from now on, and every invocation it took and did not answer
// fails with ErrInstanceExited.
func (r *Runtime) detach(inst *instance, exitErr error) {
	r.mu.Lock()
	close(inst.gone)
	delete(r.instances, inst.ln.Addr().String())
	for id, p := range r.inflight {
		if p.inst == inst {
			delete(r.inflight, id) // as take does: the answer is decided once
			p.result <- delivery{err: fmt.Errorf("fctest: invoke %s: %w (%v)", id, ErrInstanceExited, exitErr)}
		}
	}
	r.mu.Unlock()
	_ = inst.ln.Close()
}

// goneLocked reports whether inst's process has exited; never for nil.
func (inst *instance) goneLocked() bool {
	if inst == nil {
		return false
	}
	select {
	case <-inst.gone:
		return true
	default:
		return false
	}
}

// goneChan is inst.gone, or nil (never ready) for the shared address.
func (inst *instance) goneChan() <-chan struct{} {
	if inst == nil {
		return nil
	}
	return inst.gone
}
