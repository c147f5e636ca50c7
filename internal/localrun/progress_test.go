package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	var b strings.Builder
	p := &progress{w: &b}
	p.step("building ./function")(nil)
	end := p.step("resolving modules")
	fmt.Fprintln(p, "go: downloading github.com/rs/zerolog v1.35.1")
	fmt.Fprintln(p, "go: downloading golang.org/x/time v0.16.0")
	end(nil)
	p.step("invoking")(errors.New("x"))
	// Times are matched by shape only: their values are the clock's.
	want := regexp.MustCompile(`^localrun: building \./function … \d+\.\ds\n` +
		`localrun: resolving modules … \n` +
		`go: downloading github.com/rs/zerolog v1.35.1\n` +
		`go: downloading golang.org/x/time v0.16.0\n` +
		`localrun: resolving modules: \d+\.\ds\n` +
		`localrun: invoking … failed after \d+\.\ds\n$`)
	if !want.MatchString(b.String()) {
		t.Errorf("progress wrote:\n%s\nwant it to match %s", b.String(), want)
	}
}

// TestProgressHeartbeat: a step that stays silent says it is still at
// work, with its hint, instead of leaving the screen still (issue 18: 24 s
// of "building ./function" with no sign of life).
func TestProgressHeartbeat(t *testing.T) {
	w := &syncBuffer{}
	p := &progress{w: w, every: 20 * time.Millisecond}
	end := p.step("building ./function", "the first build compiles the SDK")
	for !strings.Contains(w.String(), "still") {
		time.Sleep(5 * time.Millisecond)
	}
	end(nil)
	want := regexp.MustCompile(`^localrun: building \./function … \n` +
		`(localrun: still building \./function \(\d+s\); the first build compiles the SDK\n)+` +
		`localrun: building \./function: \d+\.\ds\n$`)
	if !want.MatchString(w.String()) {
		t.Errorf("progress wrote:\n%s\nwant it to match %s", w.String(), want)
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
