package handler

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/config"
)

// A tick whose listing holds times the function cannot read says so once,
// at warn level, with the count across every page (#16 item 8), and a
// tick that reads everything says nothing. Before, an unreadable GmtCreate
// was silently no creation time, and SWEEP_CREATED_AFTER selected nothing.
func TestSweepWarnsOnceAboutWhatItCannotRead(t *testing.T) {
	for _, bad := range []int{0, 3} { // per page
		t.Run(fmt.Sprintf("%d unreadable", bad), func(t *testing.T) {
			srv := appstreamtest.New(appstreamtest.Credential{AccessKeyID: "id", AccessKeySecret: "secret"})
			defer srv.Close()
			for i := range 250 {
				img := appstreamtest.Image{ImageID: fmt.Sprintf("imgc-r%03d", i), ImageName: "fin", ProductType: "CloudApp",
					HomeRegion: "cn-shanghai", Created: time.Now().Add(-time.Hour)}
				if i%100 < bad { // spread over the three pages
					img.Fields = map[string]json.RawMessage{"GmtCreate": json.RawMessage(`"28/11/2026 10:00"`)}
				}
				srv.AddImage(img)
			}
			h, logs := newTestHandler(t, &fakeAPI{answer: ok}, map[string]string{"SWEEP_NAME_PATTERN": "fin", "DRY_RUN": "true"})
			ep, err := config.ParseEndpoint(srv.URL())
			if err != nil {
				t.Fatal(err)
			}
			h.api = appstream.New(ep)
			if _, err := h.Handle(context.Background(), []byte(tick)); err != nil {
				t.Fatalf("Handle() error = %v", err)
			}
			lines := warnLines(logs.String(), "reading-check")
			if bad == 0 {
				if len(lines) != 0 {
					t.Errorf("reading-check lines = %q, want none", lines)
				}
				return
			}
			if len(lines) != 1 || !strings.Contains(lines[0], `"oddities":{"gmt_create":9}`) || !strings.Contains(lines[0], `"level":"warn"`) {
				t.Errorf("reading-check lines = %q, want one warning counting 9 unreadable times, 3 a page", lines)
			}
		})
	}
}

func warnLines(logs, status string) []string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, `"status":"`+status+`"`) {
			out = append(out, l)
		}
	}
	return out
}

// TestSweepCountsAHomeItCannotTell: the tick's reading check counts an
// image whose home planning cannot tell, by planning's own rule: a copy
// region listed beside the home region is no finding, two regions both
// holding copies are.
func TestSweepCountsAHomeItCannotTell(t *testing.T) {
	srv := appstreamtest.New(appstreamtest.Credential{AccessKeyID: "id", AccessKeySecret: "secret"})
	defer srv.Close()
	copies := func(regions ...string) json.RawMessage {
		var cs []string
		for _, r := range regions {
			cs = append(cs, `{"RegionId":"`+r+`","Status":"AVAILABLE","VersionId":"iv-1","Progress":"100%"}`)
		}
		return json.RawMessage("[" + strings.Join(cs, ",") + "]")
	}
	for id, fields := range map[string]map[string]json.RawMessage{
		"imgc-besidehome": {"VersionId": json.RawMessage(`"iv-1"`), "ImageRegionList": json.RawMessage(`["cn-shanghai","cn-beijing"]`), "ImageRegionDistributeList": copies("cn-beijing")},
		"imgc-twohomes":   {"VersionId": json.RawMessage(`"iv-1"`), "ImageRegionList": json.RawMessage(`["cn-shanghai","cn-beijing"]`), "ImageRegionDistributeList": copies("cn-shanghai", "cn-beijing")},
	} {
		srv.AddImage(appstreamtest.Image{ImageID: id, ImageName: "fin", ProductType: "CloudApp", HomeRegion: "cn-shanghai",
			Created: time.Now().Add(-time.Hour), Fields: fields})
	}
	h, logs := newTestHandler(t, &fakeAPI{answer: ok}, map[string]string{"SWEEP_NAME_PATTERN": "fin", "DRY_RUN": "true"})
	ep, err := config.ParseEndpoint(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	h.api = appstream.New(ep)
	if _, err := h.Handle(context.Background(), []byte(tick)); err != nil {
		t.Fatalf("Handle() error = %v", err)
	}
	lines := warnLines(logs.String(), "reading-check")
	if len(lines) != 1 || !strings.Contains(lines[0], `"home_region":1`) || !strings.Contains(lines[0], "imgc-twohomes") || strings.Contains(lines[0], "imgc-besidehome") {
		t.Errorf("reading-check lines = %q, want one counting imgc-twohomes alone", lines)
	}
}
