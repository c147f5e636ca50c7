package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress tells a person what the run is doing and how long each step
// took. It is also the writer for the go command's own output ("go:
// downloading …"), which it lets through on lines of their own.
type progress struct {
	w    io.Writer
	mu   sync.Mutex
	name string // the step under way, "" between steps
	// broken is set when other output came between a step's start and end,
	// so the time goes on a line of its own, naming the step again.
	broken bool
}

// step announces a step and returns the function that reports its end.
func (p *progress) step(name string) (end func(error)) {
	p.mu.Lock()
	p.name, p.broken = name, false
	fmt.Fprintf(p.w, "localrun: %s … ", name)
	p.mu.Unlock()
	start := time.Now()
	return func(err error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		took := fmt.Sprintf("%.1fs", time.Since(start).Seconds())
		if err != nil {
			took = "failed after " + took
		}
		if p.broken {
			fmt.Fprintf(p.w, "localrun: %s: %s\n", p.name, took)
		} else {
			fmt.Fprintln(p.w, took)
		}
		p.name = ""
	}
}

// Write passes output through, first ending a step line left open.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.name != "" && !p.broken {
		p.broken = true
		fmt.Fprintln(p.w)
	}
	return p.w.Write(b)
}
