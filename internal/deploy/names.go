package deploy

import (
	"regexp"
	"strings"
)

// nameRule is what a service accepts as the name of one resource type.
type nameRule struct {
	what  string
	valid func(string) bool
}

// nameRules maps the ROS resource types whose names template.yml derives
// from the FunctionName parameter to the property holding the name and
// the rule the service documents for it.
var nameRules = map[string]struct {
	property string
	rule     nameRule
}{
	// FC 2023-03-30 CreateFunction: 1–64 letters, digits, _ and -, not
	// starting with a digit or a hyphen.
	rosFunction: {"FunctionName", nameRule{"an FC function name", matcher(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)}},
	// ROS ALIYUN::MNS::Queue: up to 256 letters, digits and hyphens,
	// starting with a letter or a digit.
	rosQueue: {"QueueName", nameRule{"an MNS queue name", matcher(`^[A-Za-z0-9][A-Za-z0-9-]{0,255}$`)}},
	// ROS ALIYUN::SLS::Project and SLS CreateProject: 3–63 lowercase
	// letters, digits and hyphens, starting and ending with a letter or a
	// digit. No capitals, unlike the other two.
	rosProject: {"Name", nameRule{"an SLS project name", matcher(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)}},
}

// allowedPattern returns a template parameter's AllowedPattern once it is
// known to compile and to accept the parameter's own default, or nil when
// there is none to probe. Without one ROS takes any value; lets says what
// such a value can break.
func (p *problems) allowedPattern(t rosTemplate, file, name, lets string) *regexp.Regexp {
	param := t.Parameters[name]
	if param.AllowedPattern == "" {
		p.add(file, "parameter %s has no AllowedPattern: %s", name, lets)
		return nil
	}
	allowed, err := regexp.Compile(param.AllowedPattern)
	if err != nil {
		p.add(file, "parameter %s AllowedPattern %q: %v", name, param.AllowedPattern, err)
		return nil
	}
	if def := t.resolve(&param.Default); !allowed.MatchString(def) {
		p.add(file, "parameter %s default %q does not match its own AllowedPattern %q", name, def, param.AllowedPattern)
	}
	return allowed
}

func matcher(pattern string) func(string) bool { return regexp.MustCompile(pattern).MatchString }

// sampleTenantID stands for ${ALIYUN::TenantId} when a name is built: an
// Alibaba Cloud account ID has 16 digits.
const sampleTenantID = "1234567890123456"

// nameProbes are function names chosen to sit on the edges of the rules
// above: every length the bounds care about, and each character class a
// rule refuses somewhere.
func nameProbes() []string {
	probes := []string{"Abc", "aBc", "a_b", "a.b", "a b", "-ab", "ab-", "1ab", "_ab", "a--b", "ab\n"}
	for _, n := range []int{1, 2, 3, 4, 45, 46, 47, 48, 62, 63, 64, 65, 70} {
		probes = append(probes, strings.Repeat("a", n), "a"+strings.Repeat("0", n-1))
	}
	return probes
}

// functionNamePattern checks the template's FunctionName parameter: it
// must carry an AllowedPattern, its default must pass it, and every name
// the pattern lets through must give valid names to each resource named
// after it. Otherwise a stack fails half-way, after creating some of them.
func (p *problems) functionNamePattern(t rosTemplate, file string) {
	if _, ok := t.Parameters[functionNameParam]; !ok {
		p.add(file, "has no %s parameter", functionNameParam)
		return
	}
	allowed := p.allowedPattern(t, file, functionNameParam, "a name with _ or capitals breaks the queue and SLS project named after it")
	if allowed == nil {
		return
	}
	for _, probe := range nameProbes() {
		if !allowed.MatchString(probe) {
			continue
		}
		with := map[string]string{functionNameParam: probe, "ALIYUN::TenantId": sampleTenantID}
		for _, name := range t.derivedNames(with) {
			if !name.rule.valid(name.value) {
				p.add(file, "%s %q lets through %q, which makes %s %q: not %s", functionNameParam, allowed,
					probe, name.resource, name.value, name.rule.what)
			}
		}
	}
}

type derivedName struct {
	resource, value string
	rule            nameRule
}

// derivedNames renders the name of every resource nameRules knows, with
// the given parameter values substituted.
func (t rosTemplate) derivedNames(with map[string]string) []derivedName {
	var out []derivedName
	for name, res := range t.Resources {
		r, ok := nameRules[res.Type]
		if !ok {
			continue
		}
		if n := property(&res.Properties, r.property); n != nil {
			out = append(out, derivedName{name, t.resolveWith(n, with, 0), r.rule})
		}
	}
	return out
}
