package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// options is what the command line asks for.
type options struct {
	env    map[string]string // -env KEY=VALUE; an empty value removes a preset
	raw    bool
	events []string // paths exactly as typed; none means defaultEvent
	help   bool
	// live runs against the real API with the developer's key (live.go);
	// apply lifts its DRY_RUN.
	live, apply bool
}

// envName is what a shell accepts as a variable name.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

type envFlag map[string]string

func (e envFlag) String() string { return "" }

func (e envFlag) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	switch {
	case !ok:
		return errors.New("want KEY=VALUE, or KEY= to remove a preset")
	case !envName.MatchString(k):
		return fmt.Errorf("%q is not a variable name", k)
	case runnerOwned[k] != "" && k != endpointVariable: // see checkMode
		return fmt.Errorf("%s cannot be changed: %s", k, runnerOwned[k])
	}
	if err := checkSetting(k); err != nil {
		return err
	}
	e[k] = val
	return nil
}

// parseArgs reads flags in any position, so that a flag after the event
// file is never silently ignored; everything after "--" is a file.
func parseArgs(args []string) (options, error) {
	o := options{env: map[string]string{}}
	fs := flag.NewFlagSet("localrun", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one line by the caller
	fs.Var(envFlag(o.env), "env", "")
	fs.BoolVar(&o.raw, "raw", false, "")
	fs.BoolVar(&o.live, "live", false, "")
	fs.BoolVar(&o.apply, "apply", false, "")
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				o.help = true
				return o, nil
			}
			return o, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return o, o.checkMode()
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			o.events = append(o.events, rest...)
			return o, o.checkMode()
		}
		o.events = append(o.events, rest[0])
		args = rest[1:]
	}
}

// usage is the -h text: what the command takes, what it presets and how it
// ends.
func usage(w io.Writer) {
	fmt.Fprintf(w, `Usage: go run ./internal/localrun [flags] [EVENT.json ...]

Builds the function and runs it on loopback against an emulator of the FC
runtime API and a fake appstream-center. No cloud account, no network.

Each EVENT.json is one invocation, in the order given, all in the same
function instance (so a repeated image shows how duplicates are handled).
Paths are taken as typed. With no file: %s.

The fake appstream-center catalogues every image an event names, built
a day ago in %s; its copies take %d minutes. A status query (GET,
as in events/http-status.json) finds its image with a copy in each state
in turn across the destination regions: done, copying at %d%%, failed,
missing. A query about every managed image (events/http-status-all.json)
also finds one image per verdict and next sweep:
  %s

Flags (anywhere on the line):
  -env KEY=VALUE  set one of the function's settings (repeatable); KEY=
                  removes a preset. A name the function does not read is
                  refused. Settings exported in your shell are passed on
                  too (-env wins); so DRY_RUN=true go run … is a dry run
  -raw            show the function's output exactly as written (JSON log
                  lines, the runtime's FC Invoke lines, the raw answer)
  -live           run against the real appstream-center with your own key,
                  read-only (README, "Try it on your account")
  -apply          with -live, lift DRY_RUN: copies are started
  -h              show this help

Presets (printed again at the start of every run):
`, defaultEvent, homeRegion, int(copyTime.Minutes()), int(copyElapsed*100/copyTime), demoNames())
	for _, p := range presets() {
		fmt.Fprintf(w, "  %s=%s\n      %s\n", p.name, p.value, p.why)
	}
	fmt.Fprintf(w, "  %s=http://127.0.0.1:PORT\n      the fake appstream-center; only -live names another (the real one)\n\n", endpointVariable)
	fmt.Fprint(w, `Every other variable is unset, so the function uses its own default
(README.md, "Configuration").

Exit status: 0 when every invocation answered without an error; 1 when the
function returned an error, answered HTTP 400 or above, or exited; 2 for a
bad command line or event file; 130 when interrupted.
`)
}
