package deploy

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The ROS resource types Check reads.
const (
	rosFunction = "ALIYUN::FC3::Function"
	rosTrigger  = "ALIYUN::FC3::Trigger"
	rosAsync    = "ALIYUN::FC3::AsyncInvokeConfig"
	rosRole     = "ALIYUN::RAM::Role"
	rosQueue    = "ALIYUN::MNS::Queue"
	rosProject  = "ALIYUN::SLS::Project"
	rosLogstore = "ALIYUN::SLS::Logstore"
)

// functionNameParam is the parameter every resource name derives from.
const functionNameParam = "FunctionName"

type rosTemplate struct {
	Version    string    `yaml:"ROSTemplateFormatVersion"`
	Transform  yaml.Node `yaml:"Transform"`
	Parameters map[string]struct {
		Default        yaml.Node `yaml:"Default"`
		AllowedPattern string    `yaml:"AllowedPattern"`
	} `yaml:"Parameters"`
	Resources map[string]struct {
		Type       string    `yaml:"Type"`
		Properties yaml.Node `yaml:"Properties"`
	} `yaml:"Resources"`
	// root is the whole document, for checks that look at every value.
	root yaml.Node
}

type rosFunctionProps struct {
	Runtime   yaml.Node            `yaml:"Runtime"`
	Handler   yaml.Node            `yaml:"Handler"`
	Timeout   yaml.Node            `yaml:"Timeout"`
	Env       map[string]yaml.Node `yaml:"EnvironmentVariables"`
	LogConfig struct {
		Project  yaml.Node `yaml:"Project"`
		Logstore yaml.Node `yaml:"Logstore"`
	} `yaml:"LogConfig"`
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

// ParseTemplate reads a ROS template. Parameters become their defaults,
// pseudo-parameters the README's placeholders (<region>, <account-id>),
// and intrinsics it cannot follow "<Fn::…>" (see resolveWith).
func ParseTemplate(path string) (Spec, error) {
	t, err := readTemplate(path)
	if err != nil {
		return Spec{}, err
	}
	spec := Spec{File: path, Env: map[string]string{}, template: &t}
	r := t.resolve
	functions := 0
	var alerts []*Alert
	var indexed []string
	for name, res := range t.Resources {
		var err error
		switch res.Type {
		case rosFunction:
			functions++
			var p rosFunctionProps
			err = res.Properties.Decode(&p)
			spec.Runtime, spec.Handler, spec.Timeout = r(&p.Runtime), r(&p.Handler), r(&p.Timeout)
			for k, v := range p.Env {
				spec.Env[k] = r(&v)
				if v.Kind == yaml.ScalarNode {
					spec.fixed = append(spec.fixed, k)
				}
			}
			spec.Logs = &Logs{Project: r(&p.LogConfig.Project), Logstore: r(&p.LogConfig.Logstore)}
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
			spec.Role = p.role(path, r)
		case rosAlert:
			var p rosAlertProps
			err = res.Properties.Decode(&p)
			alerts = append(alerts, p.alert(path, r))
		case rosIndex:
			var p rosIndexProps
			err = res.Properties.Decode(&p)
			indexed = append(indexed, p.indexed(r)...)
		}
		if err != nil {
			return Spec{}, fmt.Errorf("%s: resource %s: %w", path, name, err)
		}
	}
	if functions != 1 {
		return Spec{}, fmt.Errorf("%s: want one %s, found %d", path, rosFunction, functions)
	}
	if len(alerts) > 1 {
		return Spec{}, fmt.Errorf("%s: want one %s on the error-level lines, found %d", path, rosAlert, len(alerts))
	}
	if len(alerts) == 1 {
		spec.Alert = alerts[0]
		spec.Alert.Indexed = indexed
	}
	return spec, nil
}

func readTemplate(path string) (rosTemplate, error) {
	var t rosTemplate
	if err := decodeFile(path, &t.root); err != nil {
		return t, err
	}
	if err := t.root.Decode(&t); err != nil {
		return t, fmt.Errorf("parse %s: %w", path, err)
	}
	if t.Version != "2015-09-01" {
		return t, fmt.Errorf("%s: ROSTemplateFormatVersion is %q, want 2015-09-01", path, t.Version)
	}
	if !t.Transform.IsZero() {
		return t, fmt.Errorf("%s: has a Transform; FC 3.0 resources need none", path)
	}
	return t, nil
}

func (p rosRoleProps) role(file string, r resolver) *Role {
	role := &Role{File: file}
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

// templateOnly checks what only a ROS template can get wrong: whose
// account its ARNs and names use, where the queue ARN comes from, and the
// names a FunctionName parameter can produce.
func (p *problems) templateOnly(s Spec) {
	t := s.template
	for _, v := range scalarsContaining(&t.root, "ALIYUN::AccountId") {
		p.add(s.File, "%q uses ${ALIYUN::AccountId}, the account of whoever runs the stack; use ${ALIYUN::TenantId}, the account that owns it", v)
	}
	p.functionNamePattern(*t, s.File)
	for _, name := range s.fixed {
		p.add(s.File, "environment variable %s is fixed at %q: make it a parameter (Ref), so a stack can set it as the README's Configuration table says a user may", name, s.Env[name])
	}
	for _, tr := range s.Triggers {
		if tr.Type == "eventbridge" && !queueARN(*t, tr.Delivery.DeadLetter) {
			p.add(s.File, "eventbridge trigger %s dead-letter queue is %q, want Fn::GetAtt [<queue>, ARN.WithSlash] of an %s in the stack",
				tr.Name, tr.Delivery.DeadLetter, rosQueue)
		}
	}
}

// queueARN reports whether v is the opaque "<Fn::GetAtt Q.ARN.WithSlash>"
// of an MNS queue Q of the template: the ARN ROS itself reports, rather
// than one assembled by hand that can name the wrong account.
func queueARN(t rosTemplate, v string) bool {
	inner, ok := strings.CutPrefix(v, "<Fn::GetAtt ")
	q, ok2 := strings.CutSuffix(inner, ".ARN.WithSlash>")
	return ok && ok2 && t.Resources[q].Type == rosQueue
}
