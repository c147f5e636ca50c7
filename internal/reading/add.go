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

// Add checks one ListImage answer body, as the server sent it: reading
// the raw JSON, not the parsed page, is what lets it see a value of an
// unexpected type, and a page the function refuses altogether. Add on a
// nil Tally does nothing.
func (t *Tally) Add(body []byte) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pages++
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		t.note(WrongType, answerLabel, "not a JSON object")
		return
	}
	if c := top["Count"]; jsonType(c) != "number" {
		t.note(WrongType, answerLabel, typeDetail("Count", c, "number"))
	}
	data := top["Data"]
	if isNull(data) {
		return
	}
	var entries []json.RawMessage
	if jsonType(data) != "array" || json.Unmarshal(data, &entries) != nil {
		t.note(WrongType, answerLabel, typeDetail("Data", data, "list of images"))
		return
	}
	for _, e := range entries {
		t.image(e)
	}
}

// stringFields are the Data entry fields the function reads as strings.
var stringFields = []string{"ImageId", "ImageName", "ImageType", "ProductType", "Status", "VersionId", "GmtCreate"}

func (t *Tally) image(raw json.RawMessage) {
	var f map[string]json.RawMessage
	if jsonType(raw) != "object" || json.Unmarshal(raw, &f) != nil {
		t.note(WrongType, answerLabel, "a Data entry is a "+jsonType(raw)+" ("+quote(raw)+"), not an image")
		return
	}
	id, _ := text(f["ImageId"])
	if id == "" {
		// Keyed by the entry itself, so a retried page counts it once.
		t.note(WrongType, "an image without ImageId", quote(raw))
		id = "(no ImageId)"
	}
	for _, name := range stringFields {
		if v := f[name]; !isNull(v) && jsonType(v) != "string" {
			t.note(WrongType, id, typeDetail(name, v, "string"))
		}
	}
	switch v, ok := text(f["GmtCreate"]); {
	case !ok:
	case v == "":
		t.note(BadTime, id, "GmtCreate is missing")
	default:
		if _, ok := ParseTime(v); !ok {
			t.note(BadTime, id, "GmtCreate "+quote(f["GmtCreate"]))
		}
	}
	if v, ok := text(f["VersionId"]); ok && v == "" {
		t.note(NoVersion, id, "no VersionId")
	}
	regions := t.regions(id, f["ImageRegionList"])
	copies := t.copies(id, f["ImageRegionDistributeList"])
	t.tags(id, f["TagList"])
	if status, _ := text(f["Status"]); status == "AVAILABLE" && len(regions) != 1 {
		t.note(NoHome, id, "ImageRegionList is "+orMissing(f["ImageRegionList"]))
	}
	if len(regions) > 1 && copies == 0 {
		t.note(NoCopyList, id, fmt.Sprintf("ImageRegionList holds %s and ImageRegionDistributeList is %s",
			strings.Join(regions, ", "), orMissing(f["ImageRegionDistributeList"])))
	}
}

// regions returns the distinct regions of ImageRegionList.
func (t *Tally) regions(id string, raw json.RawMessage) []string {
	var list []json.RawMessage
	if !t.list(id, "ImageRegionList", raw, &list) {
		return nil
	}
	var out []string
	for i, r := range list {
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
func (t *Tally) copies(id string, raw json.RawMessage) int {
	var list []json.RawMessage
	if !t.list(id, "ImageRegionDistributeList", raw, &list) {
		return 0
	}
	for i, e := range list {
		var c map[string]json.RawMessage
		if jsonType(e) != "object" || json.Unmarshal(e, &c) != nil {
			t.note(WrongType, id, typeDetail(fmt.Sprintf("ImageRegionDistributeList[%d]", i), e, "copy"))
			continue
		}
		for _, name := range copyFields {
			if v := c[name]; !isNull(v) && jsonType(v) != "string" {
				t.note(WrongType, id, typeDetail("ImageRegionDistributeList["+fmt.Sprint(i)+"]."+name, v, "string"))
			}
		}
		region, _ := text(c["RegionId"])
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

func (t *Tally) tags(id string, raw json.RawMessage) {
	var list []json.RawMessage
	if !t.list(id, "TagList", raw, &list) {
		return
	}
	for i, e := range list {
		var tag map[string]json.RawMessage
		if jsonType(e) != "object" || json.Unmarshal(e, &tag) != nil {
			t.note(WrongType, id, typeDetail(fmt.Sprintf("TagList[%d]", i), e, "tag"))
			continue
		}
		for _, name := range []string{"Key", "Value"} {
			if v := tag[name]; !isNull(v) && jsonType(v) != "string" {
				t.note(WrongType, id, typeDetail(fmt.Sprintf("TagList[%d].%s", i, name), v, "string"))
			}
		}
	}
}

// list decodes an optional JSON array into out; it notes and refuses any
// other type. An absent or null list is empty, as the SDK model allows.
func (t *Tally) list(id, field string, raw json.RawMessage, out *[]json.RawMessage) bool {
	if isNull(raw) {
		return false
	}
	if jsonType(raw) != "array" || json.Unmarshal(raw, out) != nil {
		t.note(WrongType, id, typeDetail(field, raw, "list"))
		return false
	}
	return true
}

// text returns a string value; ok is false for a value of another type.
// An absent or null value is "" and ok.
func text(raw json.RawMessage) (string, bool) {
	if isNull(raw) {
		return "", true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

func orMissing(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "missing"
	}
	return quote(raw)
}
