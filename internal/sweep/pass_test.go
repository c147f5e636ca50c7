package sweep_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// actions reduces items to image ID → action, for tests about which image
// gets what rather than the details.
func actions(items []sweep.Item) map[string]sweep.Action {
	m := map[string]sweep.Action{}
	for _, it := range items {
		m[it.ImageID] = it.Action
	}
	return m
}

// A pass spans pages that arrive in any order: the start cap and the
// duplicate check hold across them.
func TestPassAcrossPages(t *testing.T) {
	p := sweep.NewPass(nil, settings(config.Sweep{NamePattern: "finance-*"}), now)
	page3 := p.Page([]appstream.Image{image("imgc-c"), image("imgc-a")})
	page1 := p.Page([]appstream.Image{image("imgc-a"), image("imgc-b"), image("imgc-d")})
	got := []map[string]sweep.Action{actions(page3), actions(page1)}
	want := []map[string]sweep.Action{
		{"imgc-c": sweep.Start, "imgc-a": sweep.Start},
		{"imgc-b": sweep.NotReached, "imgc-d": sweep.NotReached},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages mismatch (-want +got):\n%s", diff)
	}
}

// A payload image missing from a partial listing may be on a page not
// listed: it is not reached, not "not found".
func TestPassUnlisted(t *testing.T) {
	named := []trigger.Image{{ImageID: "imgc-a"}, {ImageID: "imgc-b"}}
	for _, tc := range []struct {
		complete bool
		want     sweep.Item
	}{
		{true, sweep.Item{ImageID: "imgc-b", Action: sweep.Blocked, Code: "ImageNotFound", Reason: "ListImage returns no User image with this ID",
			Next: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}},
		{false, sweep.Item{ImageID: "imgc-b", Action: sweep.NotReached, Code: "ListingIncomplete", Reason: "not on the pages listed in this run; the next run continues"}},
	} {
		p := sweep.NewPass(named, settings(config.Sweep{}), now)
		p.Page([]appstream.Image{image("imgc-a")})
		if diff := cmp.Diff([]sweep.Item{tc.want}, p.Unlisted(tc.complete)); diff != "" {
			t.Errorf("Unlisted(%v) mismatch (-want +got):\n%s", tc.complete, diff)
		}
	}
}

// TagList is absent from the 2025-12 response schema, so SWEEP_TAGS may
// see no tag on any image; the pass says so for the handler to warn.
func TestPassUntagged(t *testing.T) {
	untagged := func(img appstream.Image) appstream.Image { img.Tags = nil; return img }
	tests := []struct {
		name  string
		pages [][]appstream.Image
		want  bool
	}{
		{"nothing listed", nil, false},
		{"no image carries a tag", [][]appstream.Image{{untagged(image("imgc-a"))}, {untagged(image("imgc-b"))}}, true},
		{"one image on another page carries one", [][]appstream.Image{{untagged(image("imgc-a"))}, {image("imgc-b")}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := sweep.NewPass(nil, settings(config.Sweep{Tags: map[string]string{"team": "fin"}}), now)
			for _, pg := range tc.pages {
				p.Page(pg)
			}
			if got := p.Untagged(); got != tc.want {
				t.Errorf("Untagged() = %v, want %v", got, tc.want)
			}
		})
	}
}
