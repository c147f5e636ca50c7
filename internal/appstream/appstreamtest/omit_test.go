package appstreamtest_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// listKeys returns, for each listed image, the keys its JSON object has.
func listKeys(t *testing.T, s *appstreamtest.Server, query map[string]string) map[string]map[string]bool {
	t.Helper()
	raw, status, code := listRaw(t, s, nil, query)
	if status != 200 || code != "" {
		t.Fatalf("ListImage = %d %q, want 200", status, code)
	}
	var body struct{ Data []map[string]json.RawMessage }
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	for _, d := range body.Data {
		var id string
		_ = json.Unmarshal(d["ImageId"], &id)
		out[id] = map[string]bool{}
		for _, k := range []string{"ImageRegionList", "ImageRegionDistributeList", "TagList"} {
			if _, ok := d[k]; ok {
				out[id][k] = true
			}
		}
	}
	return out
}

// TestListImageOmitsLists: empty lists are left out, as the SDK model's
// omitempty does, and SetOmitTagList leaves TagList out of every image, as
// the 2025-12 response schema does, while tag filters still apply.
func TestListImageOmitsLists(t *testing.T) {
	s := newServer(t)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-bare"})
	s.AddImage(appstreamtest.Image{ImageID: "imgc-full", HomeRegion: "cn-shanghai", Tags: map[string]string{"team": "fin"}})
	full := map[string]bool{"ImageRegionList": true, "ImageRegionDistributeList": true, "TagList": true}
	want := map[string]map[string]bool{"imgc-bare": {}, "imgc-full": full}
	if diff := cmp.Diff(want, listKeys(t, s, nil)); diff != "" {
		t.Errorf("lists sent (-want +got):\n%s", diff)
	}

	s.SetOmitTagList(true)
	delete(full, "TagList")
	if diff := cmp.Diff(want, listKeys(t, s, nil)); diff != "" {
		t.Errorf("lists sent without TagList (-want +got):\n%s", diff)
	}
	tagged := listKeys(t, s, map[string]string{"TagList.1.Key": "team", "TagList.1.Value": "fin"})
	if diff := cmp.Diff(map[string]map[string]bool{"imgc-full": full}, tagged); diff != "" {
		t.Errorf("tag filter without TagList (-want +got):\n%s", diff)
	}
}
