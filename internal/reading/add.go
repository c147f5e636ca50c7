package reading

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// answerLabel names the answer itself in an example, for fields outside
// any image.
const answerLabel = "the answer"

// answer is a ListImage answer decoded in one pass with every value kept
// as the JSON had it, so that a value of an unexpected type is seen rather
// than refused.
type answer struct {
	Count any
	Data  any
}

// Add checks one ListImage answer body, as the server sent it: reading
// the raw JSON, not the parsed page, is what lets it see a value of an
// unexpected type, and a page the function refuses altogether. Add on a
// nil Tally does nothing.
func (t *Tally) Add(body []byte) {
	if t == nil {
		return
	}
	var a answer
	err := json.Unmarshal(body, &a)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pages++
	if err != nil {
		t.note(WrongType, answerLabel, "not a JSON object")
		return
	}
	if _, ok := a.Count.(float64); !ok {
		t.note(WrongType, answerLabel, typeDetail("Count", a.Count, "number"))
	}
	if a.Data == nil {
		return
	}
	entries, ok := a.Data.([]any)
	if !ok {
		t.note(WrongType, answerLabel, typeDetail("Data", a.Data, "list of images"))
		return
	}
	for _, e := range entries {
		t.image(e)
	}
}

// stringFields are the Data entry fields the function reads as strings.
var stringFields = []string{"ImageId", "ImageName", "ImageType", "ProductType", "Status", "VersionId", "GmtCreate"}

func (t *Tally) image(entry any) {
	f, ok := entry.(map[string]any)
	if !ok {
		t.note(WrongType, answerLabel, "a Data entry is a "+jsonType(entry)+" ("+quote(entry)+"), not an image")
		return
	}
	id, _ := f["ImageId"].(string)
	if id == "" {
		// Keyed by the entry itself, so a retried page counts it once.
		t.note(WrongType, "an image without ImageId", quote(entry))
		id = "(no ImageId)"
	}
	for _, name := range stringFields {
		if v := f[name]; v != nil && jsonType(v) != "string" {
			t.note(WrongType, id, typeDetail(name, v, "string"))
		}
	}
	switch v, ok := text(f["GmtCreate"]); {
	case !ok:
	case v == "":
		t.note(BadTime, id, "GmtCreate is missing")
	default:
		if _, ok := ParseTime(v); !ok {
			t.note(BadTime, id, "GmtCreate "+quote(v))
		}
	}
	if v, ok := text(f["VersionId"]); ok && v == "" {
		t.note(NoVersion, id, "no VersionId")
	}
	regions := t.regions(id, f["ImageRegionList"])
	copies := t.copies(id, f["ImageRegionDistributeList"])
	t.tags(id, f["TagList"])
	if len(regions) > 1 && copies == 0 {
		t.note(NoCopyList, id, fmt.Sprintf("ImageRegionList holds %s and ImageRegionDistributeList is %s",
			strings.Join(regions, ", "), orMissing(f["ImageRegionDistributeList"])))
	}
}

// regions returns the distinct regions of ImageRegionList.
func (t *Tally) regions(id string, v any) []string {
	var out []string
	for i, r := range t.list(id, "ImageRegionList", v) {
		s, ok := text(r)
		if !ok {
			t.note(WrongType, id, typeDetail(fmt.Sprintf("ImageRegionList[%d]", i), r, "string"))
		}
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// copyFields are the ImageRegionDistributeList entry fields, all strings.
var copyFields = []string{"ImageId", "RegionId", "Status", "Progress", "VersionId"}

// copies checks ImageRegionDistributeList and returns how many entries it has.
func (t *Tally) copies(id string, v any) int {
	list := t.list(id, "ImageRegionDistributeList", v)
	for i, e := range list {
		c, ok := e.(map[string]any)
		if !ok {
			t.note(WrongType, id, typeDetail(fmt.Sprintf("ImageRegionDistributeList[%d]", i), e, "copy"))
			continue
		}
		for _, name := range copyFields {
			if v := c[name]; v != nil && jsonType(v) != "string" {
				t.note(WrongType, id, typeDetail(fmt.Sprintf("ImageRegionDistributeList[%d].%s", i, name), v, "string"))
			}
		}
		region, _ := c["RegionId"].(string)
		where := "the copy in " + region
		if region == "" {
			where = fmt.Sprintf("copy %d (no RegionId)", i)
		}
		if s, ok := text(c["Status"]); ok && !slices.Contains(CopyStatuses, s) {
			t.note(UnknownStatus, id, where+" has Status "+orMissing(c["Status"]))
		}
		if v, ok := text(c["VersionId"]); ok && v == "" {
			t.note(NoVersion, id, where+" has no VersionId")
		}
	}
	return len(list)
}

func (t *Tally) tags(id string, v any) {
	for i, e := range t.list(id, "TagList", v) {
		tag, ok := e.(map[string]any)
		if !ok {
			t.note(WrongType, id, typeDetail(fmt.Sprintf("TagList[%d]", i), e, "tag"))
			continue
		}
		for _, name := range []string{"Key", "Value"} {
			if v := tag[name]; v != nil && jsonType(v) != "string" {
				t.note(WrongType, id, typeDetail(fmt.Sprintf("TagList[%d].%s", i, name), v, "string"))
			}
		}
	}
}

// list returns an optional JSON array; it notes any other type. An absent
// or null list is empty, as the SDK model allows.
func (t *Tally) list(id, field string, v any) []any {
	if v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		t.note(WrongType, id, typeDetail(field, v, "list"))
	}
	return l
}

// text returns a string value; ok is false for a value of another type.
// An absent or null value is "" and ok.
func text(v any) (string, bool) {
	if v == nil {
		return "", true
	}
	s, ok := v.(string)
	return s, ok
}

func orMissing(v any) string {
	if v == nil {
		return "missing"
	}
	return quote(v)
}
