package appstream_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

func TestListPage(t *testing.T) {
	c, srv := newClient(t)
	created := time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC)
	for i := range 3 {
		srv.AddImage(appstreamtest.Image{ImageID: fmt.Sprintf("imgc-l%d", i), ImageName: "fin", ProductType: "CloudApp",
			HomeRegion: "cn-shanghai", Tags: map[string]string{"team": "fin"}, Created: created})
	}
	srv.AddImage(appstreamtest.Image{ImageID: "imgc-desk", ProductType: "CloudDesktop", HomeRegion: "cn-shanghai", Created: created})
	srv.MarkDistributed("imgc-l0", "cn-beijing")

	f := appstream.ImageFilter{ProductTypes: []string{"CloudApp"}}
	p1, err := c.ListPage(context.Background(), testCreds, f, 1, 2)
	if err != nil {
		t.Fatalf("ListPage(1) error = %v", err)
	}
	p2, err := c.ListPage(context.Background(), testCreds, f, 2, 2)
	if err != nil {
		t.Fatalf("ListPage(2) error = %v", err)
	}
	if p1.Total != 3 || len(p1.Images) != 2 || len(p2.Images) != 1 {
		t.Fatalf("pages = %d+%d of %d, want 2+1 of 3", len(p1.Images), len(p2.Images), p1.Total)
	}
	for _, img := range append(p1.Images, p2.Images...) {
		if img.ProductType != "CloudApp" || img.Status != "AVAILABLE" || img.Tags["team"] != "fin" ||
			!img.Created.Equal(created) || len(img.Regions) != 1 || img.Regions[0] != "cn-shanghai" {
			t.Errorf("image = %+v, want an AVAILABLE CloudApp image built in cn-shanghai at %v", img, created)
		}
		if img.ImageID == "imgc-l0" && !hasCopy(img, "cn-beijing") {
			t.Errorf("imgc-l0 copies = %+v, want cn-beijing", img.Copies)
		}
	}
}

// The ImageId filter goes out as ListImage's own body parameter, and the
// stand-in answers only that image.
func TestListPageByImageID(t *testing.T) {
	c, srv := newClient(t)
	for _, id := range []string{"imgc-a1", "imgc-a2"} {
		srv.AddImage(appstreamtest.Image{ImageID: id, ProductType: "CloudApp", HomeRegion: "cn-shanghai"})
	}
	p, err := c.ListPage(context.Background(), testCreds, appstream.ImageFilter{ImageID: "imgc-a2"}, 1, 100)
	if err != nil {
		t.Fatalf("ListPage(ImageID) error = %v", err)
	}
	if p.Total != 1 || len(p.Images) != 1 || p.Images[0].ImageID != "imgc-a2" {
		t.Errorf("ListPage(ImageID imgc-a2) = %+v, want that image alone", p)
	}
	calls := srv.Calls()
	if got := calls[len(calls)-1].Params.Get("ImageId"); got != "imgc-a2" {
		t.Errorf("ImageId parameter = %q, want imgc-a2", got)
	}
}

func hasCopy(img appstream.Image, region string) bool {
	for _, c := range img.Copies {
		if c.RegionID == region && c.Status == "AVAILABLE" {
			return true
		}
	}
	return false
}

func TestListPageErrors(t *testing.T) {
	c, srv := newClient(t)
	srv.SetListError(appstreamtest.ErrorResponse("Throttling.User"))
	_, err := c.ListPage(context.Background(), testCreds, appstream.ImageFilter{}, 1, 100)
	var ae *appstream.Error
	if !errors.As(err, &ae) || ae.Code != "Throttling.User" || ae.Class != appstream.Retryable {
		t.Errorf("ListPage() error = %v, want retryable Throttling.User", err)
	}
	srv.SetListError(appstreamtest.Response{Status: 200, RawBody: `{"Success":false,"Code":"Forbidden.RAM","Message":"no"}`})
	_, err = c.ListPage(context.Background(), testCreds, appstream.ImageFilter{}, 1, 100)
	if !errors.As(err, &ae) || ae.Code != "Forbidden.RAM" || ae.Class != appstream.Permanent {
		t.Errorf("ListPage() error = %v, want permanent Forbidden.RAM from a 200 body", err)
	}
}

// TestListPageAnswers: a page is empty only when the answer says so; any
// other answer without a list of images is an error, never "no images".
func TestListPageAnswers(t *testing.T) {
	raw := func(body string) appstreamtest.Response { return appstreamtest.Response{Status: 200, RawBody: body} }
	tests := []struct {
		name      string
		resp      appstreamtest.Response
		page      int
		wantCode  string
		wantClass appstream.Class
	}{
		{"error code without Success", raw(`{"Code":"Forbidden.RAM","Message":"no","RequestId":"R"}`), 1, "Forbidden.RAM", appstream.Permanent},
		{"numeric error code without Success", raw(`{"Code":500,"RequestId":"R"}`), 1, "500", appstream.Retryable},
		{"no Data, images counted", raw(`{"Success":true,"Code":"200","Count":3}`), 1, appstream.CodeMalformed, appstream.Retryable},
		{"empty Data, images counted", raw(`{"Success":true,"Count":3,"Data":[]}`), 1, appstream.CodeMalformed, appstream.Retryable},
		{"Data not a list", raw(`{"Success":true,"Count":3,"Data":{"ImageId":"imgc-1"}}`), 1, appstream.CodeMalformed, appstream.Retryable},
		{"no Count", raw(`{"Success":true,"Data":[]}`), 1, appstream.CodeMalformed, appstream.Retryable},
		{"null Count", raw(`{"Success":true,"Count":null,"Data":[]}`), 1, appstream.CodeMalformed, appstream.Retryable},
		{"Count not a number", raw(`{"Success":true,"Count":"3","Data":[]}`), 1, appstream.CodeMalformed, appstream.Retryable},
		{"image without ID", raw(`{"Success":true,"Count":1,"Data":[{"ImageName":"x"}]}`), 1, appstream.CodeMalformed, appstream.Retryable},
		{"null image", raw(`{"Success":true,"Count":1,"Data":[null]}`), 1, appstream.CodeMalformed, appstream.Retryable},
		{"numeric request ID", appstreamtest.Response{Status: 400, RawBody: `{"Code":"Throttling.User","RequestId":1}`}, 1, "Throttling.User", appstream.Retryable},
		{"empty page", raw(`{"Success":true,"Code":"200","Count":0,"Data":[]}`), 1, "", 0},
		{"empty page without Data", raw(`{"Success":true,"Count":0}`), 1, "", 0},
		{"past the end", raw(`{"Success":true,"Count":3,"Data":[]}`), 2, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := newClient(t)
			srv.SetListError(tc.resp)
			p, err := c.ListPage(context.Background(), testCreds, appstream.ImageFilter{}, tc.page, 10)
			if tc.wantCode == "" {
				if err != nil || len(p.Images) != 0 {
					t.Fatalf("ListPage() = %+v, %v, want an empty page", p, err)
				}
				return
			}
			var ae *appstream.Error
			if !errors.As(err, &ae) || ae.Code != tc.wantCode || ae.Class != tc.wantClass {
				t.Fatalf("ListPage() = %+v, %v, want %s/%v", p, err, tc.wantCode, tc.wantClass)
			}
			assertClean(t, err)
		})
	}
}

// TestListPageOmittedLists: an image whose lists are all left out, and a
// catalogue that never sends TagList, read as images without regions,
// copies or tags.
func TestListPageOmittedLists(t *testing.T) {
	c, srv := newClient(t)
	srv.SetOmitTagList(true)
	srv.AddImage(appstreamtest.Image{ImageID: "imgc-bare", Tags: map[string]string{"team": "fin"}})
	p, err := c.ListPage(context.Background(), testCreds, appstream.ImageFilter{}, 1, 10)
	if err != nil || p.Total != 1 || len(p.Images) != 1 {
		t.Fatalf("ListPage() = %+v, %v, want one image", p, err)
	}
	if img := p.Images[0]; img.ImageID != "imgc-bare" || img.Regions != nil || img.Copies != nil || img.Tags != nil {
		t.Errorf("image = %+v, want no regions, copies or tags", img)
	}
}
