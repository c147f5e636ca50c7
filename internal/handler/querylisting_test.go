package handler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
)

// shiftingAPI lists images newest first, and can add one at the head once
// page 1 is read, as an image created mid-listing does, or fail a page.
type shiftingAPI struct {
	mu      sync.Mutex
	images  []appstream.Image
	insert  *appstream.Image
	pageErr map[int]error
}

func (s *shiftingAPI) ListPage(_ context.Context, _ config.Credentials, _ appstream.ImageFilter, page, size int) (appstream.Page, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.pageErr[page]; err != nil {
		return appstream.Page{}, err
	}
	if page > 1 && s.insert != nil {
		s.images = append([]appstream.Image{*s.insert}, s.images...)
		s.insert = nil
	}
	lo, hi := min((page-1)*size, len(s.images)), min(page*size, len(s.images))
	return appstream.Page{Images: s.images[lo:hi], Total: len(s.images)}, nil
}

func (s *shiftingAPI) Distribute(context.Context, config.Credentials, appstream.Distribution) (appstream.Started, error) {
	return appstream.Started{}, errors.New("a status query never distributes")
}

// managed is n managed images, newest first; only the last (the oldest)
// lacks its copies.
func managed(n int) []appstream.Image {
	var out []appstream.Image
	for i := range n {
		img := appstream.Image{ImageID: fmt.Sprintf("imgc-m%03d", i), ImageName: fmt.Sprintf("fin-%d", i), ImageType: "User",
			ProductType: "CloudApp", Status: "AVAILABLE", VersionID: "iv-1", Regions: []string{"cn-shanghai"}}
		if i < n-1 {
			img.Copies = []appstream.Copy{cp("cn-hangzhou", "AVAILABLE", "iv-1"), cp("cn-beijing", "AVAILABLE", "iv-1")}
		}
		out = append(out, img)
	}
	return out
}

// listingAnswer is the part of an answer about every image these tests
// read, decoded apart from StatusAll.
type listingAnswer struct {
	Images []struct {
		ImageID string `json:"imageId"`
	} `json:"images"`
	Listing struct {
		Complete         bool   `json:"complete"`
		ImagesNotReached int    `json:"imagesNotReached"`
		Reason           string `json:"reason"`
		Error            *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	} `json:"listing"`
}

func askAll(t *testing.T, api API) (listingAnswer, string) {
	t.Helper()
	h, logs := newTestHandler(t, &fakeAPI{answer: ok}, map[string]string{"SWEEP_NAME_PATTERN": "fin-*"})
	h.api = api
	resp := mustServe(t, h, context.Background(), getEvent(nil))
	var got listingAnswer
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("answer %d %s: %v", resp.StatusCode, resp.Body, err)
	}
	return got, logs.String()
}

// Item 4: an image created between page 1 and page 2 pushes the oldest
// image onto a page that is never read. The answer must not call itself
// complete, and says why and how many it missed.
func TestQueryAllSaysWhenTheListingShifted(t *testing.T) {
	api := &shiftingAPI{images: managed(200), insert: &appstream.Image{ImageID: "imgc-other", ImageName: "other", ImageType: "User",
		ProductType: "CloudApp", Status: "AVAILABLE", VersionID: "iv-9"}}
	got, _ := askAll(t, api)
	l := got.Listing
	if l.Complete || l.ImagesNotReached != 1 || !strings.Contains(l.Reason, "added or removed") {
		t.Errorf("listing %+v over %d images; want not complete, 1 image not reached, and the shift as the reason", l, len(got.Images))
	}
	seen := map[string]int{}
	for _, img := range got.Images {
		seen[img.ImageID]++
		if seen[img.ImageID] > 1 {
			t.Errorf("%s answered twice", img.ImageID)
		}
	}
}

// Item 5: a page that fails leaves the answer partial, and the answer and
// a warn-level line both say which code and message.
func TestQueryAllSaysWhyAPageFailed(t *testing.T) {
	denied := fmt.Errorf("list images: %w", &appstream.Error{Code: "Forbidden.RAM", Message: "not allowed: appstreaming:ListImage", Class: appstream.Permanent})
	got, logs := askAll(t, &shiftingAPI{images: managed(250), pageErr: map[int]error{2: denied}})
	l := got.Listing
	if l.Complete || l.Error == nil || l.Error.Code != "Forbidden.RAM" || !strings.Contains(l.Error.Message, "appstreaming:ListImage") {
		t.Errorf("listing %+v, want a partial listing naming Forbidden.RAM and its message", l)
	}
	var warned bool
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		_ = json.Unmarshal([]byte(line), &m)
		warned = warned || (m["level"] == "warn" && m["error_code"] == "Forbidden.RAM" &&
			strings.Contains(fmt.Sprint(m["error_message"]), "appstreaming:ListImage"))
	}
	if !warned {
		t.Errorf("no warn-level line with Forbidden.RAM and its message:\n%s", logs)
	}
}
