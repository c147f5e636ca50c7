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
