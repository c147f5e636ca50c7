package deploy

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/image-distributor/image-distributor/internal/trigger"
)

// httpMethods are the methods the HTTP trigger serves, sorted.
var httpMethods = []string{"GET", "POST"}

func (p *problems) triggers(s Spec, sample map[string]any) {
	for _, typ := range triggerTypes {
		n := 0
		for _, t := range s.Triggers {
			if t.Type == typ {
				n++
			}
		}
		if n != 1 {
			p.add(s.File, "has %d %s triggers, want 1", n, typ)
		}
	}
	for _, t := range s.Triggers {
		switch t.Type {
		case "http":
			// Every call may start paid cross-region copies: signed
			// requests or JWT, never anonymous.
			if t.AuthType != "function" && t.AuthType != "jwt" {
				p.add(s.File, "http trigger %s has authType %q, want function or jwt: never anonymous", t.Name, t.AuthType)
			}
			// POST distributes and GET asks where images are: exactly the
			// two methods the function serves, each once.
			if methods := slices.Sorted(slices.Values(t.Methods)); !slices.Equal(methods, httpMethods) {
				p.add(s.File, "http trigger %s allows methods %v, want exactly %v", t.Name, t.Methods, httpMethods)
			}
		case "timer":
			p.timer(s.File, t)
		case "eventbridge":
			p.eventbridge(s.File, t, sample)
		default:
			p.add(s.File, "trigger %s has type %q, which the function does not serve", t.Name, t.Type)
		}
	}
}

// timer checks the payload the way FC delivers it: inside a timer event.
func (p *problems) timer(file string, t Trigger) {
	if strings.TrimSpace(t.Cron) == "" {
		p.add(file, "timer trigger %s has no cronExpression", t.Name)
	}
	raw, _ := json.Marshal(map[string]string{"triggerTime": "2026-01-01T00:00:00Z", "triggerName": t.Name, "payload": t.Payload})
	req, err := trigger.Decode(raw)
	if err != nil {
		p.add(file, "timer trigger %s payload %q is rejected by trigger.Decode: %v", t.Name, t.Payload, err)
	} else if req.Kind != trigger.KindTimer {
		p.add(file, "timer trigger %s payload decodes as a %s event", t.Name, req.Kind)
	}
}

func (p *problems) eventbridge(file string, t Trigger, sample map[string]any) {
	if t.AsyncInvocation != "true" && t.AsyncInvocation != "false" {
		p.add(file, "eventbridge trigger %s sets no asyncInvocationType; write the choice down (README \"Retries and failures\")", t.Name)
	}
	if t.SourceType != "Default" {
		p.add(file, "eventbridge trigger %s has eventSourceType %q, want Default (the bus cloud-service events reach)", t.Name, t.SourceType)
	}
	var pattern map[string]any
	if err := json.Unmarshal([]byte(t.Pattern), &pattern); err != nil {
		p.add(file, "eventbridge trigger %s pattern %q is not a JSON object: %v", t.Name, t.Pattern, err)
		return
	}
	for _, key := range []string{"source", "type"} {
		if values, _ := pattern[key].([]any); len(values) == 0 {
			p.add(file, "eventbridge trigger %s pattern does not filter on %s: every event on the bus would invoke the function", t.Name, key)
		}
	}
	if sample == nil {
		return
	}
	if ok, err := matches(pattern, sample); err != nil {
		p.add(file, "eventbridge trigger %s: %v", t.Name, err)
	} else if !ok {
		p.add(file, "eventbridge trigger %s pattern %s does not match events/%s", t.Name, t.Pattern, sampleEvent)
	}
	// An image made in the console is recorded as a ConsoleOperation,
	// not an ApiCall: the same record must pass under that type too.
	typ, _ := sample["type"].(string)
	if svc, ok := strings.CutSuffix(typ, ":ActionTrail:ApiCall"); ok {
		console := maps.Clone(sample)
		console["type"] = svc + ":ActionTrail:ConsoleOperation"
		if ok, err := matches(pattern, console); err == nil && !ok {
			p.add(file, "eventbridge trigger %s pattern %s does not accept ConsoleOperation records (%s), so images made in the console are missed", t.Name, t.Pattern, console["type"])
		}
	}
}

// events decodes every sample payload with the function's own decoder.
func (p *problems) events(dir string) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		p.add(dir, "no sample events")
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err == nil {
			var req trigger.Request
			if req, err = trigger.Decode(raw); err == nil && req.HTTP != nil {
				_, err = trigger.ParseHTTP(req.HTTP)
			}
		}
		if err != nil {
			p.add(f, "rejected by the function's decoder: %v", err)
		}
	}
}
