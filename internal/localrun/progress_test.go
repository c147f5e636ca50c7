package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
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
