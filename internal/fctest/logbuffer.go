package fctest

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
)

// LogBuffer is an io.Writer that keeps everything written to it and lets a
// test wait for a line to appear. The zero value is ready to use and it is
// safe for concurrent use, so it can take a process's stdout and stderr.
type LogBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

// Write appends b and wakes any WaitFor.
func (l *LogBuffer) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, _ := l.buf.Write(b) // bytes.Buffer.Write always returns a nil error
	if l.changed != nil {
		close(l.changed)
		l.changed = nil
	}
	return n, nil
}

// String returns everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Lines returns everything written so far split into lines, including a
// trailing line that has no newline yet.
func (l *LogBuffer) Lines() []string {
	s := strings.TrimSuffix(l.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// WaitFor blocks until the output contains substr or ctx ends.
func (l *LogBuffer) WaitFor(ctx context.Context, substr string) error {
	for {
		l.mu.Lock()
		if strings.Contains(l.buf.String(), substr) {
			l.mu.Unlock()
			return nil
		}
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		changed := l.changed
		l.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("fctest: wait for %q in logs: %w", substr, ctx.Err())
		}
	}
}
