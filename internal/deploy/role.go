package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// The grants the function's role needs besides the API calls, because FC
// acts with the function's role once it has one: it hands failed
// asynchronous events to the queue, and (the fc3 docs and UpdateFunction
// say) writes the function's logs with it.
const (
	actionSendMessage = "mns:SendMessage"
	actionPostLogs    = "log:PostLogStoreLogs"
)

// role checks least privilege: the API actions are exactly those the
// client calls, the queue grant names only the on-failure destination and
// the log grant only the function's own logstore.
func (p *problems) role(s Spec) {
	r := s.Role
	if r == nil {
		p.add(s.File, "no role for the function: template.yml creates an %s, s.yaml's is the README's policy", rosRole)
		return
	}
	if r.Principals != nil && !slices.Equal(r.Principals, []string{"fc.aliyuncs.com"}) {
		p.add(r.File, "role can be assumed by %v, want fc.aliyuncs.com only", r.Principals)
	}
	want := appstream.Actions()
	services := map[string]bool{}
	for _, a := range want {
		services[strings.SplitN(a, ":", 2)[0]] = true
	}
	exact := map[string]string{actionSendMessage: "", actionPostLogs: ""}
	if s.Async != nil {
		exact[actionSendMessage] = s.Async.OnFailure
	}
	if s.Logs != nil {
		exact[actionPostLogs] = logstoreARN(*s.Logs)
	}
	var granted []string
	for _, st := range r.Statements {
		for _, a := range st.Actions {
			target, isExact := exact[a]
			switch {
			case strings.Contains(a, "*"):
				p.add(r.File, "role grants wildcard action %q", a)
			case services[strings.SplitN(a, ":", 2)[0]]:
				granted = append(granted, a)
			case isExact:
				granted = append(granted, a)
				if len(st.Resources) != 1 || !sameARN(st.Resources[0], target) {
					p.add(r.File, "role grants %s on %v, want only %s", a, st.Resources, target)
				}
			default:
				p.add(r.File, "role grants %s, which is neither an API call the function makes, on-failure delivery nor its logs", a)
			}
		}
	}
	for _, a := range append(want, actionSendMessage, actionPostLogs) {
		if !slices.Contains(granted, a) {
			p.add(r.File, "role does not grant %s, which the function needs (%s)", a, why(a))
		}
	}
	for _, a := range granted {
		if services[strings.SplitN(a, ":", 2)[0]] && !slices.Contains(want, a) {
			p.add(r.File, "role grants %s, which the function never calls (appstream.Actions)", a)
		}
	}
}

func why(action string) string {
	switch action {
	case actionSendMessage:
		return "FC keeps failed events in the queue with the function's role"
	case actionPostLogs:
		return "with a custom role FC writes the function's logs with it"
	}
	return "appstream.Actions"
}

// logstoreARN is the RAM resource of a logstore, as SLS's API reference
// writes it: acs:log:{region}:{account}:project/{project}/logstore/{logstore}.
// The region and account are placeholders sameARN accepts for any value.
func logstoreARN(l Logs) string {
	return "acs:log:<region>:<account-id>:project/" + l.Project + "/logstore/" + l.Logstore
}

// sameARN reports whether a and b name the same resource: equal, or
// equal once a <region> placeholder stands for the other's region, as the
// README's policy must for every region an operator deploys to. Neither
// may widen to a wildcard.
func sameARN(a, b string) bool {
	if strings.Contains(a, "*") || strings.Contains(b, "*") {
		return false
	}
	if a == b {
		return true
	}
	x, y := strings.SplitN(a, ":", 5), strings.SplitN(b, ":", 5)
	if len(x) != 5 || len(y) != 5 || x[0] != "acs" || x[2] == "" || y[2] == "" {
		return false
	}
	regionOK := x[2] == y[2] || x[2] == "<region>" || y[2] == "<region>"
	return regionOK && x[1] == y[1] && x[3] == y[3] && x[4] == y[4]
}

// policyBlock finds a fenced JSON block holding a RAM policy.
var policyBlock = regexp.MustCompile("(?s)```json\n\\s*(\\{[^`]*?\"Statement\"[^`]*)```")

// ReadmeRole reads the policy the README tells an s.yaml operator to
// attach to the function's role: the first JSON block with a Statement.
func ReadmeRole(path string) (*Role, error) {
	_, m, err := readmeBlock(path, policyBlock, "the role's policy (a Statement)")
	if err != nil {
		return nil, err
	}
	var doc struct {
		Statement []struct {
			Effect   string
			Action   stringList
			Resource stringList
		}
	}
	if err := json.Unmarshal(m, &doc); err != nil {
		return nil, fmt.Errorf("%s: role policy: %w", path, err)
	}
	role := &Role{File: path}
	for _, s := range doc.Statement {
		if s.Effect == "Allow" {
			role.Statements = append(role.Statements, Statement{Actions: s.Action, Resources: s.Resource})
		}
	}
	return role, nil
}

// readmeBlock reads the README and the first fenced block that block
// matches, as its first submatch; what names the block in the error.
func readmeBlock(path string, block *regexp.Regexp, what string) (raw, m []byte, err error) {
	if raw, err = os.ReadFile(path); err != nil {
		return nil, nil, err
	}
	found := block.FindSubmatch(raw)
	if found == nil {
		return nil, nil, fmt.Errorf("%s: no ```json block with %s", path, what)
	}
	return raw, found[1], nil
}

// stringList is a RAM policy value: one string or a list of them.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*l = []string{one}
		return nil
	}
	return json.Unmarshal(b, (*[]string)(l))
}
