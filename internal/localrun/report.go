package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

// answer is one invocation's answer, read leniently: unknown fields are
// ignored and a field of an unexpected type is shown as JSON, so that the
// report survives changes to the result's shape.
type answer struct {
	status  string // "ok", "function error", "HTTP 422"…
	problem string // why the invocation counts as failed; "" if it does not
	result  object // the result (for HTTP, the decoded body)
	shown   []byte // the answer to print: indented, HTTP body as JSON
}

func readAnswer(res fctest.Result) answer {
	if e := res.Error; e != nil {
		b, _ := json.MarshalIndent(e, "", "  ")
		return answer{status: "function error", shown: b,
			problem: fmt.Sprintf("the function returned an error: %s: %s", e.ErrorType, e.ErrorMessage)}
	}
	a := answer{status: "ok", shown: indent(res.Payload)}
	payload, ok := orderedObject(string(res.Payload))
	if !ok {
		return a
	}
	code, err := strconv.Atoi(string(payload.get("statusCode")))
	if err != nil { // not an HTTP answer
		a.result = payload
		return a
	}
	a.status = fmt.Sprintf("HTTP %d", code)
	body := []byte(text(payload.get("body")))
	if text(payload.get("isBase64Encoded")) == "true" {
		if b, err := base64.StdEncoding.DecodeString(string(body)); err == nil {
			body = b
		}
	}
	if obj, ok := orderedObject(string(body)); ok && json.Valid(body) {
		a.result = obj
		payload.values["body"] = body
		a.shown = indent(payload.encode())
	}
	if code >= 400 {
		a.problem = a.status + ": " + a.reason()
	}
	return a
}

// reason says in a few words why an HTTP answer is an error: the body's
// error, or else the first image that failed.
func (a answer) reason() string {
	if e := errorText(a.result.get("error")); e != "" {
		return e
	}
	for _, r := range a.rows(nil) {
		if r.err != "" {
			return r.image + ": " + r.err
		}
	}
	return "see the answer above"
}

// row is one line of the summary table.
type row struct{ image, status, regions, task, err string }

// rows lists each image, or each region of an image when the result breaks
// it down by region, in the order the images first appear in the logs:
// that is the order a person reads them in, and it does not change
// between runs the way the result's own order can.
func (a answer) rows(logs []string) []row {
	images := objects(a.result.get("results"))
	first := map[string]int{}
	for i, line := range logs {
		if o, ok := orderedObject(line); ok {
			if id := text(o.get("image_id")); id != "" {
				if _, seen := first[id]; !seen {
					first[id] = i
				}
			}
		}
	}
	at := func(o object) int {
		if i, ok := first[text(o.get("imageId"))]; ok {
			return i
		}
		return len(logs)
	}
	slices.SortStableFunc(images, func(x, y object) int { return at(x) - at(y) })
	var out []row
	for _, img := range images {
		id := text(img.get("imageId"))
		regions := objects(img.get("regions"))
		if len(regions) == 0 {
			out = append(out, row{id, text(img.get("status")), scalar(img.get("destinationRegions")),
				text(img.get("taskId")), errorText(img.get("error"))})
		}
		// Regions with the same outcome (one call's task, say) share a row.
		var group []row
		for _, r := range regions {
			next := row{"", text(r.get("status")), text(r.get("region")), text(r.get("taskId")), errorText(r.get("error"))}
			if n := len(group); n > 0 && group[n-1].status == next.status && group[n-1].task == next.task && group[n-1].err == next.err {
				group[n-1].regions += "," + next.regions
				continue
			}
			group = append(group, next)
		}
		if len(group) > 0 {
			group[0].image = id
		}
		out = append(out, group...)
	}
	return out
}

// summary writes the table and the skipped events.
func (a answer) summary(w io.Writer, logs []string) {
	if a.isStatus() {
		a.statusSummary(w)
		return
	}
	rows := a.rows(logs)
	if len(rows) == 0 && a.result.values != nil {
		fmt.Fprintln(w, "no images")
	}
	// The task and error columns are left out when no row has one.
	var tasks, errs bool
	for _, r := range rows {
		tasks, errs = tasks || r.task != "", errs || r.err != ""
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for i, r := range append([]row{{"IMAGE", "STATUS", "REGIONS", "TASK ID", "ERROR"}}, rows...) {
		if i == 0 && len(rows) == 0 {
			break
		}
		cells := []string{r.image, r.status, r.regions}
		if tasks {
			cells = append(cells, r.task)
		}
		if errs {
			cells = append(cells, r.err)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	for _, s := range objects(a.result.get("skipped")) {
		fmt.Fprintf(w, "skipped %s: %s\n", orDefault(text(s.get("eventId")), "an event"), text(s.get("reason")))
	}
	for _, m := range merged(logs) {
		fmt.Fprintf(w, "merged %s: %d events named it (%s); it was distributed once\n", m.image, len(m.events), strings.Join(m.events, ", "))
	}
}

// mergedImage is an image that several events of one invocation named.
type mergedImage struct {
	image  string
	events []string
}

// merged reads, from the image log lines, the images whose event_ids list
// more than one event: the function merges them into one call, and the
// answer does not say so.
func merged(logs []string) []mergedImage {
	var out []mergedImage
	for _, line := range logs {
		o, ok := orderedObject(line)
		if !ok || o.get("image_id") == nil {
			continue
		}
		var ids []string
		if json.Unmarshal(o.get("event_ids"), &ids) == nil && len(ids) > 1 {
			out = append(out, mergedImage{text(o.get("image_id")), ids})
		}
	}
	return out
}

// errorText shows {"code","message"} as "code: message", and anything else
// (a plain string, another shape) as it is.
func errorText(v json.RawMessage) string {
	o, ok := orderedObject(string(v))
	if !ok || (o.get("code") == nil && o.get("message") == nil) {
		return text(v)
	}
	return strings.TrimSuffix(text(o.get("code"))+": "+text(o.get("message")), ": ")
}
