// Package reading checks a ListImage answer against the function's reading
// of it: every value the function could not read as it expects is counted,
// with a few examples, so that a misreading of the real API shows up in
// the first minute rather than as a copy that was or was not made. The
// deployed function logs the count once per tick; localrun -live prints it.
package reading

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Kind is one way a value can fail the function's reading.
type Kind string

// The kinds, in the order they are reported.
const (
	BadTime       Kind = "gmt_create"
	UnknownStatus Kind = "copy_status"
	NoVersion     Kind = "no_version"
	NoHome        Kind = "home_region"
	WrongType     Kind = "field_type"
	NoCopyList    Kind = "empty_copy_list"
)

// Kinds lists every kind in report order.
var Kinds = []Kind{BadTime, UnknownStatus, NoVersion, NoHome, WrongType, NoCopyList}

// Label says what a kind is, for a person.
func (k Kind) Label() string {
	switch k {
	case BadTime:
		return "GmtCreate that does not parse"
	case UnknownStatus:
		return "copy status outside " + strings.Join(CopyStatuses, ", ")
	case NoVersion:
		return "image or copy without VersionId"
	case NoHome:
		return "image whose home region cannot be told"
	case WrongType:
		return "field of an unexpected type"
	case NoCopyList:
		return "empty ImageRegionDistributeList on an image that has copies"
	}
	return string(k)
}

// CopyStatuses are the copy statuses the function acts on. Only INIT is in
// the API's examples; the rest are the image status vocabulary (API-NOTES
// §7, §8), so any other value is a reading to report, never "done".
var CopyStatuses = []string{"AVAILABLE", "INIT", "CREATING", "CREATE_FAILED"}

// maxExamples is how many examples each kind keeps.
const maxExamples = 3

// Tally counts what one or more ListImage answers held that the function
// could not read. It is safe for concurrent use, since a listing fetches
// pages side by side, and it counts each image once per oddity however
// often a page is retried or an image listed again.
type Tally struct {
	mu    sync.Mutex
	seen  map[string]bool
	found map[Kind]*Finding
	pages int
}

// Finding is one kind's count and its first examples.
type Finding struct {
	Kind     Kind
	Count    int
	Examples []string
}

// Note counts one finding that only the parsed answer shows, such as a
// home region the planner cannot tell (sweep.NoteHomes): the rule stays
// where the function applies it. Note on a nil Tally does nothing.
func (t *Tally) Note(k Kind, image, detail string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.note(k, image, detail)
}

func (t *Tally) note(k Kind, image, detail string) {
	key := string(k) + "\x00" + image + "\x00" + detail
	if t.seen[key] {
		return
	}
	if t.seen == nil {
		t.seen, t.found = map[string]bool{}, map[Kind]*Finding{}
	}
	t.seen[key] = true
	f := t.found[k]
	if f == nil {
		f = &Finding{Kind: k}
		t.found[k] = f
	}
	f.Count++
	if len(f.Examples) < maxExamples {
		f.Examples = append(f.Examples, image+": "+detail)
	}
}

// Findings returns a finding for every kind, in report order; a kind with
// nothing found has a zero Count.
func (t *Tally) Findings() []Finding {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Finding, 0, len(Kinds))
	for _, k := range Kinds {
		f := Finding{Kind: k}
		if got := t.found[k]; got != nil {
			f.Count, f.Examples = got.Count, slices.Clone(got.Examples)
		}
		out = append(out, f)
	}
	return out
}

// Empty reports whether nothing was found.
func (t *Tally) Empty() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.found) == 0
}

// Pages is how many answers were checked.
func (t *Tally) Pages() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pages
}

type tallyKey struct{}

// Watch returns a context whose ListImage answers are checked into a new
// Tally (see appstream.Client.ListPage).
func Watch(ctx context.Context) (context.Context, *Tally) {
	t := &Tally{}
	return context.WithValue(ctx, tallyKey{}, t), t
}

// From returns the Tally ctx carries, or nil; Add on nil does nothing.
func From(ctx context.Context) *Tally {
	t, _ := ctx.Value(tallyKey{}).(*Tally)
	return t
}

// quote shows a value from the answer, shortened: it is an example, not a
// copy of the answer.
func quote(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

// jsonType names the JSON type of a decoded value; nil is an absent value
// or null, which the SDK model allows for every field.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "missing"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case bool:
		return "boolean"
	}
	return "number"
}

func typeDetail(field string, v any, want string) string {
	return fmt.Sprintf("%s is a %s (%s), not a %s", field, jsonType(v), quote(v), want)
}
