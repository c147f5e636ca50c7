package appstream

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/image-distributor/image-distributor/internal/config"
)

// ActionList is the read action the sweep uses.
const ActionList = "ListImage"

// maxPageSize is the API's own limit.
const maxPageSize = 100

// Image is an image as ListImage describes it.
type Image struct {
	ImageID, ImageName, ImageType, ProductType, Status, VersionID string
	// Regions are the regions the image was built in (ImageRegionList).
	Regions []string
	// Copies are its per-region distributions (ImageRegionDistributeList).
	Copies  []Copy
	Tags    map[string]string
	Created time.Time
}

// Copy is one region's distribution of an image.
type Copy struct {
	RegionID, Status, Progress, VersionID string
}

// ImageFilter narrows a listing on the server side; empty fields do not
// filter.
type ImageFilter struct {
	ImageType    string // User, Shared, System or Community
	ProductTypes []string
}

// Page is one page of a listing.
type Page struct {
	Images []Image
	Total  int
}

// apiTime is the zone the API renders GmtCreate in: China Standard Time,
// which has no daylight saving, so a fixed zone is exact.
var apiTime = time.FixedZone("UTC+8", 8*60*60)

// ListPage fetches one page (numbered from 1) of up to 100 images. Paging
// is left to the caller so each page is retried, rate-limited and
// deadline-checked like any other call.
func (c *Client) ListPage(ctx context.Context, creds config.Credentials, f ImageFilter, page, size int) (Page, error) {
	params := map[string]string{"PageNumber": strconv.Itoa(page), "PageSize": strconv.Itoa(min(size, maxPageSize))}
	if f.ImageType != "" {
		params["ImageType"] = f.ImageType
	}
	for i, p := range f.ProductTypes {
		params[fmt.Sprintf("ProductTypeList.%d", i+1)] = p
	}
	body, err := c.call(ctx, creds, ActionList, params)
	if err != nil {
		return Page{}, fmt.Errorf("list images page %d: %w", page, err)
	}
	if _, err := envelope(body, creds); err != nil {
		return Page{}, fmt.Errorf("list images page %d: %w", page, err)
	}
	var r struct {
		Count int
		Data  []struct {
			ImageID, ImageName, ImageType, ProductType, Status, VersionID string
			ImageRegionList                                               []string
			ImageRegionDistributeList                                     []Copy
			TagList                                                       []struct{ Key, Value string }
			GmtCreate                                                     string
		}
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Page{}, fmt.Errorf("list images page %d: %w", page, &Error{Code: CodeMalformed, Message: "response is not the expected JSON", Class: Retryable})
	}
	p := Page{Total: r.Count}
	for _, d := range r.Data {
		img := Image{ImageID: d.ImageID, ImageName: d.ImageName, ImageType: d.ImageType, ProductType: d.ProductType,
			Status: d.Status, VersionID: d.VersionID, Regions: d.ImageRegionList, Copies: d.ImageRegionDistributeList}
		if len(d.TagList) > 0 {
			img.Tags = map[string]string{}
			for _, t := range d.TagList {
				img.Tags[t.Key] = t.Value
			}
		}
		img.Created, _ = time.ParseInLocation(time.DateTime, d.GmtCreate, apiTime)
		p.Images = append(p.Images, img)
	}
	return p, nil
}
