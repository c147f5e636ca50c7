package deploy

import (
	"encoding/json"
	"fmt"
	"regexp"

	"go.yaml.in/yaml/v3"
)

// The ROS types of the alert and of the index its query needs.
const (
	rosAlert = "ALIYUN::SLS::Alert"
	rosIndex = "ALIYUN::SLS::Index"
)

// rosAlertProps is the part of an ALIYUN::SLS::Alert Check reads; key
// names as the ROS resource reference and ros-cdk-sls spell them.
type rosAlertProps struct {
	Project yaml.Node `yaml:"Project"`
	Detail  struct {
		Schedule struct {
			Type     yaml.Node `yaml:"Type"`
			Interval yaml.Node `yaml:"Interval"`
		} `yaml:"Schedule"`
		Configuration struct {
			QueryList []struct {
				StoreType yaml.Node `yaml:"StoreType"`
				Project   yaml.Node `yaml:"Project"`
				Store     yaml.Node `yaml:"Store"`
				Query     yaml.Node `yaml:"Query"`
				Start     yaml.Node `yaml:"Start"`
			} `yaml:"QueryList"`
			Group struct {
				Type   yaml.Node `yaml:"Type"`
				Fields yaml.Node `yaml:"Fields"`
			} `yaml:"GroupConfiguration"`
			Policy struct {
				Alert  yaml.Node `yaml:"AlertPolicyId"`
				Action yaml.Node `yaml:"ActionPolicyId"`
			} `yaml:"PolicyConfiguration"`
		} `yaml:"Configuration"`
	} `yaml:"Detail"`
}

func (p rosAlertProps) alert(file string, r resolver) *Alert {
	d := p.Detail
	a := &Alert{File: file, Project: r(&p.Project), ScheduleType: r(&d.Schedule.Type), Interval: r(&d.Schedule.Interval),
		GroupType: r(&d.Configuration.Group.Type), GroupFields: list(&d.Configuration.Group.Fields, r),
		AlertPolicy: r(&d.Configuration.Policy.Alert), ActionPolicy: r(&d.Configuration.Policy.Action)}
	if q := d.Configuration.QueryList; len(q) == 1 {
		a.StoreType, a.Store, a.Query, a.Start = r(&q[0].StoreType), r(&q[0].Store), r(&q[0].Query), r(&q[0].Start)
		if project := r(&q[0].Project); project != a.Project {
			a.Project = project // a query may read another project; compare what it reads
		}
	}
	return a
}

// rosIndexProps is the part of an ALIYUN::SLS::Index Check reads.
type rosIndexProps struct {
	Keys []struct {
		Name      yaml.Node `yaml:"Name"`
		Type      yaml.Node `yaml:"Type"`
		Analytics yaml.Node `yaml:"EnableAnalytics"`
		JSONKeys  []struct {
			Name      yaml.Node `yaml:"Name"`
			Analytics yaml.Node `yaml:"EnableAnalytics"`
		} `yaml:"JsonKeyIndices"`
	} `yaml:"KeyIndices"`
}

// indexed lists the keys of the JSON field message held with statistics
// (ROS's default for a JSON key's EnableAnalytics is true).
func (p rosIndexProps) indexed(r resolver) []string {
	var out []string
	for _, k := range p.Keys {
		if r(&k.Name) != "message" || r(&k.Type) != "json" || r(&k.Analytics) == "false" {
			continue
		}
		for _, j := range k.JSONKeys {
			if r(&j.Analytics) != "false" {
				out = append(out, r(&j.Name))
			}
		}
	}
	return out
}

// The README's blocks for the s.yaml route: the alert rule, as
// `aliyunlog log create_alert --detail` takes it, and the index.
var (
	alertBlock = regexp.MustCompile("(?s)```json\n\\s*(\\{[^`]*?\"queryList\"[^`]*)```")
	indexBlock = regexp.MustCompile("(?s)```json\n\\s*(\\{[^`]*?\"json_keys\"[^`]*)```")
	// queryBlock is the query as the README shows it to a reader.
	queryBlock = regexp.MustCompile("(?s)```text\n(" + regexp.QuoteMeta(alertSearch) + "[^`]*?)\n```")
)

// ReadmeAlert reads the alert rule and the index the README tells an
// s.yaml operator to create (README "Alerts"). It returns the rule with
// an error when only the query shown to a reader differs from it.
func ReadmeAlert(path string) (*Alert, error) {
	raw, block, err := readmeBlock(path, alertBlock, "the error alert (a queryList)")
	if err != nil {
		return nil, err
	}
	var rule struct {
		Schedule      struct{ Type, Interval string }
		Configuration struct {
			QueryList []struct {
				StoreType, Project, Store, Query, Start string
			}
			GroupConfiguration struct {
				Type   string
				Fields []string
			}
			PolicyConfiguration struct{ AlertPolicyID, ActionPolicyID string }
		}
	}
	if err := json.Unmarshal(block, &rule); err != nil {
		return nil, fmt.Errorf("%s: error alert: %w", path, err)
	}
	c := rule.Configuration
	a := &Alert{File: path, ScheduleType: rule.Schedule.Type, Interval: rule.Schedule.Interval,
		GroupType: c.GroupConfiguration.Type, GroupFields: c.GroupConfiguration.Fields,
		AlertPolicy: c.PolicyConfiguration.AlertPolicyID, ActionPolicy: c.PolicyConfiguration.ActionPolicyID}
	if len(c.QueryList) == 1 {
		q := c.QueryList[0]
		a.StoreType, a.Project, a.Store, a.Query, a.Start = q.StoreType, q.Project, q.Store, q.Query, q.Start
	}
	if m := indexBlock.FindSubmatch(raw); m != nil {
		var index struct {
			Keys map[string]struct {
				Type     string
				DocValue bool `json:"doc_value"`
				JSONKeys map[string]struct {
					DocValue bool `json:"doc_value"`
				} `json:"json_keys"`
			}
		}
		if err := json.Unmarshal(m[1], &index); err != nil {
			return nil, fmt.Errorf("%s: index: %w", path, err)
		}
		if k := index.Keys["message"]; k.Type == "json" && k.DocValue {
			for name, j := range k.JSONKeys {
				if j.DocValue {
					a.Indexed = append(a.Indexed, name)
				}
			}
		}
	}
	// The rule is still checked when the query shown to a reader drifts.
	if m := queryBlock.FindSubmatch(raw); m == nil || string(m[1]) != a.Query {
		return a, fmt.Errorf("%s: the query shown (a ```text block starting %q) is not the alert rule's %q", path, alertSearch, a.Query)
	}
	return a, nil
}
