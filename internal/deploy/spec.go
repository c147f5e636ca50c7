// Package deploy reads the deployment files, s.yaml and template.yml, into
// one small shape and checks them against the code, so that a knob, an API
// action or a trigger the code depends on cannot drift out of them unseen.
package deploy

import (
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"
)

// Spec is what a deployment file says about the function, reduced to what
// Check compares. Values are those a first deployment gets: variables and
// parameters are replaced by their defaults where the file gives one.
type Spec struct {
	File    string
	Runtime string
	Handler string
	// Build is the pre-deploy build command; ROS has none.
	Build string
	// Env maps each environment variable to its default value.
	Env      map[string]string
	Triggers []Trigger
	// Async is nil when the file sets no asynchronous-invocation config.
	Async *Async
	// Role is the role the file creates; nil when it names an existing one.
	Role *Role
}

// Trigger is one trigger, with the fields of every type side by side.
type Trigger struct {
	Name, Type string
	AuthType   string   // http
	Methods    []string // http
	Cron       string   // timer
	Payload    string   // timer
	Pattern    string   // eventbridge: the filter pattern, as JSON text
	SourceType string   // eventbridge
	// AsyncInvocation is whether EventBridge invokes asynchronously, which
	// is what makes FC's retries and on-failure destination apply.
	AsyncInvocation bool
}

// Async is the function's asynchronous-invocation config.
type Async struct {
	MaxRetries    string
	MaxAgeSeconds string
	OnFailure     string
}

// Role is a RAM role created for the function.
type Role struct {
	Principals []string
	Statements []Statement
}

// Statement is one Allow statement of the role's policies.
type Statement struct {
	Actions   []string
	Resources []string
}

// triggerConfig holds the trigger settings. s.yaml and ROS spell them the
// same way, as the FC 2023-03-30 API does; ROS values may be intrinsics.
type triggerConfig struct {
	AuthType          yaml.Node `yaml:"authType"`
	Methods           yaml.Node `yaml:"methods"`
	Cron              yaml.Node `yaml:"cronExpression"`
	Payload           yaml.Node `yaml:"payload"`
	Pattern           yaml.Node `yaml:"eventRuleFilterPattern"`
	AsyncInvocation   yaml.Node `yaml:"asyncInvocationType"`
	EventSourceConfig struct {
		Type yaml.Node `yaml:"eventSourceType"`
	} `yaml:"eventSourceConfig"`
}

// resolver turns a value node into the string a first deployment gets.
type resolver func(*yaml.Node) string

func (c triggerConfig) trigger(name, typ string, r resolver) Trigger {
	return Trigger{
		Name: name, Type: typ,
		AuthType:        r(&c.AuthType),
		Methods:         list(&c.Methods, r),
		Cron:            r(&c.Cron),
		Payload:         r(&c.Payload),
		Pattern:         r(&c.Pattern),
		SourceType:      r(&c.EventSourceConfig.Type),
		AsyncInvocation: r(&c.AsyncInvocation) == "true",
	}
}

// list resolves a sequence, or a single value as a list of one.
func list(n *yaml.Node, r resolver) []string {
	if n.Kind != yaml.SequenceNode {
		if v := r(n); v != "" {
			return []string{v}
		}
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		out = append(out, r(item))
	}
	return out
}

func decodeFile(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("parse %s: %w", path, err)
	}
	return nil
}
