package deploy

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Alert is the SLS alert rule that pages a person on the function's
// error-level lines, reduced to what Check compares.
type Alert struct {
	File                      string
	Project, Store, StoreType string
	Query                     string
	// Start is how far back each evaluation looks, as "-20m".
	Start string
	// ScheduleType and Interval are how often it is evaluated.
	ScheduleType, Interval    string
	GroupType                 string
	GroupFields               []string
	AlertPolicy, ActionPolicy string
	// Indexed lists the keys of the message field indexed with statistics,
	// the only ones an alert query can read.
	Indexed []string
}

// alertSearch selects the error-level lines. FC puts each stdout line in
// the field message, so the JSON keys inside are message.<key>.
const alertSearch = "message.level: error"

// alertGroup are the fields each alert instance is keyed on (custom group
// evaluation), so one stuck image in one region is one alert.
var alertGroup = []string{"image_id", "region"}

const alertGroupType = "custom"

// messageKey matches a JSON key of message in an SLS query: "message.x".
var messageKey = regexp.MustCompile(`"message\.([a-z_]+)"|\bmessage\.([a-z_]+)\s*:`)

// alert checks the error alert: it reads the function's own logstore,
// selects the error-level lines, groups them by image and region, reads
// only indexed keys, misses no line between evaluations and notifies
// someone.
func (p *problems) alert(s Spec) {
	a := s.Alert
	if a == nil {
		p.add(s.File, "no alert on the error-level lines: template.yml creates an %s, s.yaml's is the README's (Alerts)", rosAlert)
		return
	}
	if s.Logs != nil && (a.Project != s.Logs.Project || a.Store != s.Logs.Logstore) {
		p.add(a.File, "error alert queries %s/%s, want the function's own logstore %s/%s", a.Project, a.Store, s.Logs.Project, s.Logs.Logstore)
	}
	if a.StoreType != "log" {
		p.add(a.File, "error alert store type is %q, want log", a.StoreType)
	}
	search, sql, _ := strings.Cut(a.Query, "|")
	if strings.TrimSpace(search) != alertSearch {
		p.add(a.File, "error alert searches %q, want %q: exactly the lines that need a person", strings.TrimSpace(search), alertSearch)
	}
	if a.GroupType != alertGroupType || !containsAll(a.GroupFields, alertGroup) {
		p.add(a.File, "error alert groups %s by %v, want %s grouping on %v: one stuck image must be one alert, not a page on every evaluation", a.GroupType, a.GroupFields, alertGroupType, alertGroup)
	}
	for _, f := range a.GroupFields {
		if !regexp.MustCompile(`(?i)\bAS\s+` + regexp.QuoteMeta(f) + `\b`).MatchString(sql) {
			p.add(a.File, "error alert groups by %s, which its query does not return", f)
		}
	}
	for _, m := range messageKey.FindAllStringSubmatch(a.Query, -1) {
		if key := m[1] + m[2]; !slices.Contains(a.Indexed, key) {
			p.add(a.File, "error alert reads message.%s, which the logstore's index does not hold with statistics (indexed: %v)", key, a.Indexed)
		}
	}
	back, errB := time.ParseDuration(strings.TrimPrefix(a.Start, "-"))
	every, errE := time.ParseDuration(a.Interval)
	switch {
	case a.ScheduleType != "FixedRate" || errE != nil:
		p.add(a.File, "error alert schedule is %s %q, want FixedRate with an interval such as 15m", a.ScheduleType, a.Interval)
	case errB != nil || !strings.HasPrefix(a.Start, "-") || back < every:
		p.add(a.File, "error alert looks back %q every %s: want at least the interval, or lines between two evaluations are never seen", a.Start, a.Interval)
	}
	if a.AlertPolicy == "" || a.ActionPolicy == "" {
		p.add(a.File, "error alert has alert policy %q and action policy %q, want both: without them nobody is notified", a.AlertPolicy, a.ActionPolicy)
	}
}

// compareAlerts holds the two routes to the same rule.
func (p *problems) compareAlerts(s, t Spec) {
	a, b := s.Alert, t.Alert
	if a == nil || b == nil {
		return
	}
	if a.Query != b.Query {
		p.add(b.File, "error alert query %q differs from the README's %q", b.Query, a.Query)
	}
	if !slices.Equal(a.GroupFields, b.GroupFields) || a.Start != b.Start || a.Interval != b.Interval {
		p.add(b.File, "error alert groups by %v over %s every %s, the README's by %v over %s every %s",
			b.GroupFields, b.Start, b.Interval, a.GroupFields, a.Start, a.Interval)
	}
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
