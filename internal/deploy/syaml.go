package deploy

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// sFile is the part of a Serverless Devs (fc3) s.yaml that Check reads.
type sFile struct {
	Vars      map[string]yaml.Node `yaml:"vars"`
	Resources map[string]struct {
		Component string `yaml:"component"`
		Actions   struct {
			PreDeploy []struct {
				Run string `yaml:"run"`
			} `yaml:"pre-deploy"`
		} `yaml:"actions"`
		Props struct {
			Runtime     yaml.Node            `yaml:"runtime"`
			Handler     yaml.Node            `yaml:"handler"`
			Timeout     yaml.Node            `yaml:"timeout"`
			Env         map[string]yaml.Node `yaml:"environmentVariables"`
			LogConfig   yaml.Node            `yaml:"logConfig"`
			AsyncConfig *struct {
				MaxRetries  yaml.Node `yaml:"maxAsyncRetryAttempts"`
				MaxAge      yaml.Node `yaml:"maxAsyncEventAgeInSeconds"`
				Destination struct {
					OnFailure struct {
						Destination yaml.Node `yaml:"destination"`
					} `yaml:"onFailure"`
				} `yaml:"destinationConfig"`
			} `yaml:"asyncInvokeConfig"`
			Triggers []struct {
				Name   string        `yaml:"triggerName"`
				Type   string        `yaml:"triggerType"`
				Config triggerConfig `yaml:"triggerConfig"`
			} `yaml:"triggers"`
		} `yaml:"props"`
	} `yaml:"resources"`
}

// ParseSYAML reads the fc3 resource of a Serverless Devs s.yaml. ${vars.x}
// and ${env('NAME', 'default')} are replaced by their defaults and
// ${config('AccountID')} by the README's <account-id>; anything else is
// left as written. The role is the operator's, so Spec.Role stays nil:
// Check reads its policy from the README.
func ParseSYAML(path string) (Spec, error) {
	var f sFile
	if err := decodeFile(path, &f); err != nil {
		return Spec{}, err
	}
	var found []string
	for name, res := range f.Resources {
		if res.Component == "fc3" {
			found = append(found, name)
		}
	}
	if len(found) != 1 {
		return Spec{}, fmt.Errorf("%s: want one resource with component fc3, found %d", path, len(found))
	}
	res := f.Resources[found[0]]
	r := f.resolve
	spec := Spec{File: path, Runtime: r(&res.Props.Runtime), Handler: r(&res.Props.Handler), Timeout: r(&res.Props.Timeout), Env: map[string]string{}}
	for _, step := range res.Actions.PreDeploy {
		spec.Build = strings.TrimSpace(spec.Build + "\n" + step.Run)
	}
	for name, v := range res.Props.Env {
		spec.Env[name] = r(&v)
	}
	if a := res.Props.AsyncConfig; a != nil {
		spec.Async = &Async{MaxRetries: r(&a.MaxRetries), MaxAgeSeconds: r(&a.MaxAge), OnFailure: r(&a.Destination.OnFailure.Destination)}
	}
	for _, t := range res.Props.Triggers {
		spec.Triggers = append(spec.Triggers, t.Config.trigger(t.Name, t.Type, r))
	}
	if lc := &res.Props.LogConfig; !lc.IsZero() {
		spec.Logs = &Logs{Project: r(lc)} // "auto", or a map read below
		if lc.Kind == yaml.MappingNode {
			spec.Logs = &Logs{Project: r(orEmpty(property(lc, "project"))), Logstore: r(orEmpty(property(lc, "logstore")))}
		}
	}
	return spec, nil
}

func orEmpty(n *yaml.Node) *yaml.Node {
	if n == nil {
		return &yaml.Node{}
	}
	return n
}

// reference matches one innermost ${…} expression.
var reference = regexp.MustCompile(`\$\{([^{}]*)\}`)

// envCall matches env('NAME') and env('NAME', 'default').
var envCall = regexp.MustCompile(`^env\('([^']*)'(?:\s*,\s*'([^']*)')?\)$`)

func (f sFile) resolve(n *yaml.Node) string {
	return f.expand(n.Value, 0)
}

// expand replaces references until none is left that it understands. The
// depth bound stops a variable that refers to itself.
func (f sFile) expand(s string, depth int) string {
	if depth > 8 {
		return s
	}
	return reference.ReplaceAllStringFunc(s, func(ref string) string {
		expr := strings.TrimSpace(ref[2 : len(ref)-1])
		if name, ok := strings.CutPrefix(expr, "vars."); ok {
			if v, ok := f.Vars[name]; ok {
				return f.expand(v.Value, depth+1)
			}
			return ref
		}
		if m := envCall.FindStringSubmatch(expr); m != nil {
			return m[2]
		}
		if expr == "config('AccountID')" {
			return "<account-id>"
		}
		return ref
	})
}
