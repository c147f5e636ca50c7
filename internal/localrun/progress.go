package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// quiet is the longest a step may run without a line: past it, the step
// says it is still at work, and what takes the time on a first run.
const quiet = 5 * time.Second

// progress tells a person what the run is doing and how long each step
// took. It is also the writer for the go command's own output ("go:
// downloading …"), which it lets through on lines of their own.
type progress struct {
	w     io.Writer
	every time.Duration // 0 means quiet
	mu    sync.Mutex
	name  string // the step under way, "" between steps
	// broken is set when other output came between a step's start and end,
	// so the time goes on a line of its own, naming the step again.
	broken bool
	last   time.Time // when anything was last written
}

// step announces a step and returns the function that reports its end.
// hint says what a long wait is spent on; it is shown only if the step
// goes quiet for longer than every.
func (p *progress) step(name string, hint ...string) (end func(error)) {
	p.mu.Lock()
	p.name, p.broken, p.last = name, false, time.Now()
	fmt.Fprintf(p.w, "localrun: %s … ", name)
	p.mu.Unlock()
	start := time.Now()
	done := make(chan struct{})
	go p.heartbeat(name, start, hint, done)
	return func(err error) {
		close(done)
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

// heartbeat writes a line whenever the step has been silent for every.
func (p *progress) heartbeat(name string, start time.Time, hint []string, done <-chan struct{}) {
	every := p.every
	if every == 0 {
		every = quiet
	}
	t := time.NewTicker(every / 5)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			p.mu.Lock()
			if p.name == name && now.Sub(p.last) >= every {
				p.breakLine()
				fmt.Fprintf(p.w, "localrun: still %s (%.0fs)", name, now.Sub(start).Seconds())
				if len(hint) > 0 {
					fmt.Fprintf(p.w, "; %s", hint[0])
				}
				fmt.Fprintln(p.w)
				p.last = now
			}
			p.mu.Unlock()
		}
	}
}

// breakLine ends a step line left open; p.mu is held.
func (p *progress) breakLine() {
	if p.name != "" && !p.broken {
		p.broken = true
		fmt.Fprintln(p.w)
	}
}

// Write passes output through, first ending a step line left open.
func (p *progress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.breakLine()
	p.last = time.Now()
	return p.w.Write(b)
}
