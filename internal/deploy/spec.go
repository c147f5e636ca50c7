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
	// Timeout is the function's timeout in seconds, as written.
	Timeout string
	// Env maps each environment variable to its default value.
	Env      map[string]string
	Triggers []Trigger
	// Async is nil when the file sets no asynchronous-invocation config.
	Async *Async
	// Role is the role the function runs as: the one template.yml
	// creates, or for s.yaml the policy the README tells the operator to
	// create.
	Role *Role
	// Logs is the logstore the function writes to.
	Logs *Logs
	// Alert is the rule on the function's error-level lines: the one
	// template.yml creates, or for s.yaml the one the README gives.
	Alert *Alert
	// template is set for a ROS template, for the checks only it needs.
	template *rosTemplate
	// fixed lists the template's variables set to a literal rather than
	// to a parameter.
	fixed []string
}

// Logs names the function's logstore.
type Logs struct {
	Project, Logstore string
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
	// AsyncInvocation is asyncInvocationType as written: "true", "false"
	// or "" when absent. Its meaning is documented both ways, so neither
	// value is trusted to make FC's own retries apply.
	AsyncInvocation string
	// Delivery is how EventBridge itself pushes, retries and keeps
	// events: what holds when FC invokes synchronously.
	Delivery Delivery
}

// Delivery is an EventBridge trigger's runOptions and eventSinkConfig.
type Delivery struct {
	RunMode, SinkMode, EventSchema string
	ErrorsTolerance                string
	PushRetryStrategy              string
	MaxRetries, MaxAgeSeconds      string
	// DeadLetter is the ARN of the queue failed events are kept in.
	DeadLetter string
}

// Async is the function's asynchronous-invocation config.
type Async struct {
	MaxRetries    string
	MaxAgeSeconds string
	OnFailure     string
}

// Role is the RAM role the function runs as.
type Role struct {
	// File is where the role is defined.
	File string
	// Principals are who may assume it; nil when File holds only its
	// policy (the README's, for s.yaml).
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
	// Key names and casing as in the FC 2023-03-30 API models (RunOptions,
	// RetryStrategy, DeadLetterQueue, DeliveryOption) and the fc3
	// component's examples; YAML keys match exactly, so a miscased key
	// reads as missing.
	EventSinkConfig struct {
		DeliveryOption struct {
			Mode        yaml.Node `yaml:"mode"`
			EventSchema yaml.Node `yaml:"eventSchema"`
		} `yaml:"deliveryOption"`
	} `yaml:"eventSinkConfig"`
	RunOptions struct {
		Mode            yaml.Node `yaml:"mode"`
		ErrorsTolerance yaml.Node `yaml:"errorsTolerance"`
		RetryStrategy   struct {
			Push       yaml.Node `yaml:"PushRetryStrategy"`
			MaxRetries yaml.Node `yaml:"MaximumRetryAttempts"`
			MaxAge     yaml.Node `yaml:"MaximumEventAgeInSeconds"`
		} `yaml:"retryStrategy"`
		DeadLetterQueue struct {
			Arn yaml.Node `yaml:"Arn"`
		} `yaml:"deadLetterQueue"`
	} `yaml:"runOptions"`
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
		AsyncInvocation: r(&c.AsyncInvocation),
		Delivery: Delivery{
			RunMode:           r(&c.RunOptions.Mode),
			SinkMode:          r(&c.EventSinkConfig.DeliveryOption.Mode),
			EventSchema:       r(&c.EventSinkConfig.DeliveryOption.EventSchema),
			ErrorsTolerance:   r(&c.RunOptions.ErrorsTolerance),
			PushRetryStrategy: r(&c.RunOptions.RetryStrategy.Push),
			MaxRetries:        r(&c.RunOptions.RetryStrategy.MaxRetries),
			MaxAgeSeconds:     r(&c.RunOptions.RetryStrategy.MaxAge),
			DeadLetter:        r(&c.RunOptions.DeadLetterQueue.Arn),
		},
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
