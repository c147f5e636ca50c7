package appstream_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/reading"
)

// GmtCreate is read in its documented form and in the ISO 8601 forms; a
// form it cannot read leaves no creation time and is counted, not silent.
func TestListPageReadsGmtCreate(t *testing.T) {
	want := time.Date(2025, 4, 25, 7, 13, 57, 0, time.UTC)
	forms := map[string]string{
		"imgc-doc":    "2025-04-25 15:13:57",
		"imgc-z":      "2025-04-25T07:13:57Z",
		"imgc-offset": "2025-04-25T15:13:57+08:00",
		"imgc-frac":   "2025-04-25T07:13:57.000Z",
		"imgc-t":      "2025-04-25T15:13:57",
		"imgc-bad":    "25/04/2025 15:13",
	}
	c, srv := newClient(t)
	for id, form := range forms {
		v, _ := json.Marshal(form)
		srv.AddImage(appstreamtest.Image{ImageID: id, HomeRegion: "cn-shanghai", Fields: map[string]json.RawMessage{"GmtCreate": v}})
	}
	ctx, tally := reading.Watch(context.Background())
	p, err := c.ListPage(ctx, testCreds, appstream.ImageFilter{}, 1, 100)
	if err != nil {
		t.Fatalf("ListPage() error = %v", err)
	}
	for _, img := range p.Images {
		switch {
		case img.ImageID == "imgc-bad" && !img.Created.IsZero():
			t.Errorf("%s: Created = %v, want zero for %q", img.ImageID, img.Created, forms[img.ImageID])
		case img.ImageID != "imgc-bad" && !img.Created.Equal(want):
			t.Errorf("%s: Created = %v, want %v from %q", img.ImageID, img.Created, want, forms[img.ImageID])
		}
	}
	f := tally.Findings()[0]
	if f.Kind != reading.BadTime || f.Count != 1 || f.Examples[0] != `imgc-bad: GmtCreate "25/04/2025 15:13"` {
		t.Errorf("reading check = %+v, want the one unreadable time", f)
	}
}

// A page the parser refuses (an ImageId of another type) still shows why
// in the reading check.
func TestListPageCheckSeesARefusedPage(t *testing.T) {
	c, srv := newClient(t)
	srv.AddImage(appstreamtest.Image{ImageID: "imgc-n", HomeRegion: "cn-shanghai", Fields: map[string]json.RawMessage{"ImageName": json.RawMessage(`42`)}})
	ctx, tally := reading.Watch(context.Background())
	if _, err := c.ListPage(ctx, testCreds, appstream.ImageFilter{}, 1, 100); err == nil {
		t.Fatal("ListPage() error = nil, want the page refused")
	}
	for _, f := range tally.Findings() {
		if f.Kind == reading.WrongType && (f.Count != 1 || f.Examples[0] != "imgc-n: ImageName is a number (42), not a string") {
			t.Errorf("reading check = %+v, want the numeric ImageName", f)
		}
	}
}
