package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

// Paths names the files Check reads.
type Paths struct {
	SYAML    string
	Template string
	// Events is the folder of sample trigger payloads.
	Events string
	// README holds the policy an s.yaml operator attaches to the role,
	// the alert rule and the table of error-level lines.
	README string
	// Source is the module root whose internal and function folders hold
	// the error-level lines the README's table must list; "" skips it.
	Source string
}

// sampleEvent is the event the EventBridge filter must let through.
const sampleEvent = "eventbridge-image-created.json"

// The trigger types the function serves, one trigger each.
var triggerTypes = []string{"eventbridge", "http", "timer"}

// problems collects findings; each names the file it is about.
type problems []string

func (p *problems) add(file, format string, args ...any) {
	*p = append(*p, filepath.Base(file)+": "+fmt.Sprintf(format, args...))
}

// Check reads both deployment files and returns every way they disagree
// with the code or with each other; none means they are consistent. What
// the code needs is read from the code itself (config.Variables,
// appstream.Actions, trigger.Decode), so Check never needs editing when a
// knob or an action is added: only the deployment files do.
func Check(p Paths) []string {
	var probs problems
	s, errS := ParseSYAML(p.SYAML)
	if errS == nil {
		var err error
		if s.Role, err = ReadmeRole(p.README); err != nil {
			probs = append(probs, err.Error())
		}
		if s.Alert, err = ReadmeAlert(p.README); err != nil {
			probs = append(probs, err.Error())
		}
	}
	t, errT := ParseTemplate(p.Template)
	var sample map[string]any
	if raw, err := os.ReadFile(filepath.Join(p.Events, sampleEvent)); err != nil {
		probs.add(p.Events, "%v", err)
	} else if err := json.Unmarshal(raw, &sample); err != nil {
		probs.add(sampleEvent, "%v", err)
	}
	for _, parsed := range []struct {
		spec Spec
		err  error
	}{{s, errS}, {t, errT}} {
		if parsed.err != nil {
			probs = append(probs, parsed.err.Error())
			continue
		}
		probs.spec(parsed.spec, sample)
	}
	if errS == nil {
		probs.build(s)
	}
	if errT == nil {
		probs.templateOnly(t)
	}
	if errS == nil && errT == nil {
		probs.compare(s, t)
	}
	probs.events(p.Events)
	if p.Source != "" {
		probs.errorLines(p.Source, p.README)
	}
	return probs
}

func (p *problems) spec(s Spec, sample map[string]any) {
	if s.Runtime != "go1" {
		p.add(s.File, "runtime is %q, want go1: the Go runtime fc.Start serves", s.Runtime)
	}
	if s.Handler == "" {
		p.add(s.File, "no handler")
	}
	want := config.Variables()
	for _, name := range want {
		if _, ok := s.Env[name]; !ok {
			p.add(s.File, "environment variable %s is missing; config.Variables() reads it", name)
		}
	}
	for name := range s.Env {
		if !slices.Contains(want, name) {
			p.add(s.File, "environment variable %s is not one config.Variables() reads", name)
		}
	}
	p.triggers(s, sample)
	p.async(s)
	p.delivery(s)
	p.logs(s)
	p.cadence(s)
	p.overlap(s)
	p.defaults(s)
	p.role(s)
	p.alert(s)
}

func (p *problems) async(s Spec) {
	a := s.Async
	if a == nil {
		p.add(s.File, "no asynchronous-invocation config: RetryableFailure would not be retried nor InputError kept")
		return
	}
	// At least one retry, or RetryableFailure means nothing; FC allows 8.
	if n, err := strconv.Atoi(a.MaxRetries); err != nil || n < 1 || n > 8 {
		p.add(s.File, "async max retries is %q, want 1 to 8", a.MaxRetries)
	}
	// A timer tick retried later than sweep.MaxRetryAge would be taken for
	// a replay and run beside the ticks after it.
	if n, err := strconv.Atoi(a.MaxAgeSeconds); err != nil || n < 1 || n > int(sweep.MaxRetryAge.Seconds()) {
		p.add(s.File, "async max event age is %q, want 1 to %d seconds (sweep.MaxRetryAge: a later retry of a tick would run beside the next)", a.MaxAgeSeconds, int(sweep.MaxRetryAge.Seconds()))
	}
	// FC's form for an MNS destination; in ROS the queue's own
	// ARN.WithSlash attribute plus /messages.
	isARN := strings.HasPrefix(a.OnFailure, "acs:mns:") || strings.HasPrefix(a.OnFailure, "<Fn::GetAtt ")
	if !isARN || !strings.HasSuffix(a.OnFailure, "/messages") {
		p.add(s.File, "async on-failure destination is %q, want an MNS queue (acs:mns:…:/queues/<name>/messages) where InputError events end up", a.OnFailure)
	}
}

func (p *problems) build(s Spec) {
	for _, part := range []string{"GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0", "-o target/" + s.Handler, "./function"} {
		if !strings.Contains(s.Build, part) {
			p.add(s.File, "pre-deploy build %q lacks %q: go1 runs a static linux/amd64 binary named after the handler", s.Build, part)
		}
	}
}

// compare finds what the two files say differently about the same function.
func (p *problems) compare(s, t Spec) {
	if s.Handler != t.Handler {
		p.add(t.File, "handler %q differs from s.yaml's %q", t.Handler, s.Handler)
	}
	p.compareAlerts(s, t)
	if s.Logs != nil && t.Logs != nil && *s.Logs != *t.Logs {
		p.add(t.File, "logs go to %+v, s.yaml's to %+v", *t.Logs, *s.Logs)
	}
	if s.Async != nil && t.Async != nil && (s.Async.MaxRetries != t.Async.MaxRetries || s.Async.MaxAgeSeconds != t.Async.MaxAgeSeconds) {
		p.add(t.File, "async retries/age %s/%s differ from s.yaml's %s/%s", t.Async.MaxRetries, t.Async.MaxAgeSeconds, s.Async.MaxRetries, s.Async.MaxAgeSeconds)
	}
	byName := func(ts []Trigger) map[string]Trigger {
		m := map[string]Trigger{}
		for _, tr := range ts {
			m[tr.Name] = tr
		}
		return m
	}
	st, tt := byName(s.Triggers), byName(t.Triggers)
	for name, a := range st {
		b, ok := tt[name]
		// Each file names the dead-letter queue its own way; delivery()
		// ties each to that file's on-failure destination.
		a.Delivery.DeadLetter, b.Delivery.DeadLetter = "", ""
		if !ok {
			p.add(t.File, "has no trigger %s, which s.yaml has", name)
		} else if !reflect.DeepEqual(a, b) {
			p.add(t.File, "trigger %s is %+v, s.yaml's is %+v", name, b, a)
		}
	}
	for name := range tt {
		if _, ok := st[name]; !ok {
			p.add(s.File, "has no trigger %s, which template.yml has", name)
		}
	}
}
