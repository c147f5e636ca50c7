package deploy

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// pseudo renders ROS pseudo-parameters the way the README writes
// placeholders, so a stack's ARNs compare with the documented ones.
// ALIYUN::AccountId is deliberately absent: it is whoever runs the stack,
// not the account that owns it, and stays visible as ${ALIYUN::AccountId}.
var pseudo = map[string]string{
	"ALIYUN::Region":   "<region>",
	"ALIYUN::TenantId": "<account-id>",
}

// mirrored lists, per resource type, the Fn::GetAtt attributes that
// return a property of the same name, as the ROS references document for
// these types. Any other attribute stays opaque: "<Fn::GetAtt R.A>".
var mirrored = map[string][]string{
	rosProject:  {"Name"},
	rosLogstore: {"ProjectName", "LogstoreName"},
	rosFunction: {"FunctionName"},
	rosQueue:    {"QueueName"},
}

// subRef matches one ${Name} in an Fn::Sub string.
var subRef = regexp.MustCompile(`\$\{([A-Za-z0-9_:]+)\}`)

func (t rosTemplate) resolve(n *yaml.Node) string { return t.resolveWith(n, nil, 0) }

// resolveWith turns a value into what a first deployment gets: a Ref or
// an Fn::Sub of a parameter becomes its default (or its entry in with),
// Fn::Join and mirrored Fn::GetAtt are followed, and any other intrinsic
// becomes "<Fn::…>". The depth bound stops a template that refers to
// itself.
func (t rosTemplate) resolveWith(n *yaml.Node, with map[string]string, depth int) string {
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 || depth > 8 {
		return n.Value
	}
	fn, arg := n.Content[0].Value, n.Content[1]
	switch {
	case fn == "Ref" && arg.Kind == yaml.ScalarNode:
		return t.param(arg.Value, with, depth)
	case fn == "Fn::Sub" && arg.Kind == yaml.ScalarNode:
		return subRef.ReplaceAllStringFunc(arg.Value, func(ref string) string {
			return t.param(ref[2:len(ref)-1], with, depth)
		})
	case fn == "Fn::Join" && arg.Kind == yaml.SequenceNode && len(arg.Content) == 2 && arg.Content[1].Kind == yaml.SequenceNode:
		var parts []string
		for _, part := range arg.Content[1].Content {
			parts = append(parts, t.resolveWith(part, with, depth+1))
		}
		return strings.Join(parts, arg.Content[0].Value)
	case fn == "Fn::GetAtt" && arg.Kind == yaml.SequenceNode && len(arg.Content) == 2:
		return t.getAtt(arg.Content[0].Value, arg.Content[1].Value, with, depth)
	}
	return "<" + strings.TrimSpace(fn) + ">"
}

// param renders a parameter or pseudo-parameter; an unknown name stays as
// written, ${Name}, so a check can still see it.
func (t rosTemplate) param(name string, with map[string]string, depth int) string {
	if v, ok := with[name]; ok {
		return v
	}
	if p, ok := t.Parameters[name]; ok {
		return t.resolveWith(&p.Default, with, depth+1)
	}
	if v, ok := pseudo[name]; ok {
		return v
	}
	return "${" + name + "}"
}

func (t rosTemplate) getAtt(resource, attr string, with map[string]string, depth int) string {
	if res, ok := t.Resources[resource]; ok {
		for _, a := range mirrored[res.Type] {
			if a == attr {
				if n := property(&res.Properties, attr); n != nil {
					return t.resolveWith(n, with, depth+1)
				}
			}
		}
	}
	return "<Fn::GetAtt " + resource + "." + attr + ">"
}

// property returns the value of key in a mapping node, or nil.
func property(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// scalarsContaining lists the scalar values anywhere under n that contain
// s; comments are not values, so a comment may still name it.
func scalarsContaining(n *yaml.Node, s string) []string {
	var out []string
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, s) {
		out = append(out, n.Value)
	}
	for _, c := range n.Content {
		out = append(out, scalarsContaining(c, s)...)
	}
	return out
}
