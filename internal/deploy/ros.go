package deploy

import (
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The ROS resource types Check reads.
const (
	rosFunction = "ALIYUN::FC3::Function"
	rosTrigger  = "ALIYUN::FC3::Trigger"
	rosAsync    = "ALIYUN::FC3::AsyncInvokeConfig"
	rosRole     = "ALIYUN::RAM::Role"
)

type rosTemplate struct {
	Version    string    `yaml:"ROSTemplateFormatVersion"`
	Transform  yaml.Node `yaml:"Transform"`
	Parameters map[string]struct {
		Default yaml.Node `yaml:"Default"`
	} `yaml:"Parameters"`
	Resources map[string]struct {
		Type       string    `yaml:"Type"`
		Properties yaml.Node `yaml:"Properties"`
	} `yaml:"Resources"`
}

type rosFunctionProps struct {
	Runtime yaml.Node            `yaml:"Runtime"`
	Handler yaml.Node            `yaml:"Handler"`
	Env     map[string]yaml.Node `yaml:"EnvironmentVariables"`
}

type rosTriggerProps struct {
	Name   yaml.Node     `yaml:"TriggerName"`
	Type   yaml.Node     `yaml:"TriggerType"`
	Config triggerConfig `yaml:"TriggerConfig"`
}

type rosAsyncProps struct {
	MaxRetries  yaml.Node `yaml:"MaxAsyncRetryAttempts"`
	MaxAge      yaml.Node `yaml:"MaxAsyncEventAgeInSeconds"`
	Destination struct {
		OnFailure struct {
			Destination yaml.Node `yaml:"Destination"`
		} `yaml:"OnFailure"`
	} `yaml:"DestinationConfig"`
}

type rosStatement struct {
	Effect    string    `yaml:"Effect"`
	Action    yaml.Node `yaml:"Action"`
	Resource  yaml.Node `yaml:"Resource"`
	Principal struct {
		Service yaml.Node `yaml:"Service"`
	} `yaml:"Principal"`
}

type rosRoleProps struct {
	Trust struct {
		Statement []rosStatement `yaml:"Statement"`
	} `yaml:"AssumeRolePolicyDocument"`
	Policies []struct {
		Document struct {
			Statement []rosStatement `yaml:"Statement"`
		} `yaml:"PolicyDocument"`
	} `yaml:"Policies"`
}

// ParseTemplate reads a ROS template. Ref and Fn::Sub of a parameter
// become the parameter's default; other intrinsics become "<Fn::…>".
func ParseTemplate(path string) (Spec, error) {
	var t rosTemplate
	if err := decodeFile(path, &t); err != nil {
		return Spec{}, err
	}
	if t.Version != "2015-09-01" {
		return Spec{}, fmt.Errorf("%s: ROSTemplateFormatVersion is %q, want 2015-09-01", path, t.Version)
	}
	if !t.Transform.IsZero() {
		return Spec{}, fmt.Errorf("%s: has a Transform; FC 3.0 resources need none", path)
	}
	spec := Spec{File: path, Env: map[string]string{}}
	r := t.resolve
	functions := 0
	for name, res := range t.Resources {
		var err error
		switch res.Type {
		case rosFunction:
			functions++
			var p rosFunctionProps
			err = res.Properties.Decode(&p)
			spec.Runtime, spec.Handler = r(&p.Runtime), r(&p.Handler)
			for k, v := range p.Env {
				spec.Env[k] = r(&v)
			}
		case rosTrigger:
			var p rosTriggerProps
			err = res.Properties.Decode(&p)
			spec.Triggers = append(spec.Triggers, p.Config.trigger(r(&p.Name), r(&p.Type), r))
		case rosAsync:
			var p rosAsyncProps
			err = res.Properties.Decode(&p)
			spec.Async = &Async{MaxRetries: r(&p.MaxRetries), MaxAgeSeconds: r(&p.MaxAge), OnFailure: r(&p.Destination.OnFailure.Destination)}
		case rosRole:
			var p rosRoleProps
			err = res.Properties.Decode(&p)
			spec.Role = p.role(r)
		}
		if err != nil {
			return Spec{}, fmt.Errorf("%s: resource %s: %w", path, name, err)
		}
	}
	if functions != 1 {
		return Spec{}, fmt.Errorf("%s: want one %s, found %d", path, rosFunction, functions)
	}
	return spec, nil
}

func (p rosRoleProps) role(r resolver) *Role {
	role := &Role{}
	for _, s := range p.Trust.Statement {
		role.Principals = append(role.Principals, list(&s.Principal.Service, r)...)
	}
	for _, policy := range p.Policies {
		for _, s := range policy.Document.Statement {
			if s.Effect == "Allow" {
				role.Statements = append(role.Statements, Statement{Actions: list(&s.Action, r), Resources: list(&s.Resource, r)})
			}
		}
	}
	return role
}

// subRef matches one ${Name} in an Fn::Sub string.
var subRef = regexp.MustCompile(`\$\{([A-Za-z0-9_:]+)\}`)

func (t rosTemplate) resolve(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return n.Value
	}
	fn, arg := n.Content[0].Value, n.Content[1]
	switch {
	case fn == "Ref":
		if p, ok := t.Parameters[arg.Value]; ok {
			return t.resolve(&p.Default)
		}
	case fn == "Fn::Sub" && arg.Kind == yaml.ScalarNode:
		return subRef.ReplaceAllStringFunc(arg.Value, func(ref string) string {
			if p, ok := t.Parameters[ref[2:len(ref)-1]]; ok {
				return t.resolve(&p.Default)
			}
			return ref
		})
	}
	return "<" + strings.TrimSpace(fn) + ">"
}
