package appstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/reading"
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
	// Modified is GmtModified; what changes it is not documented.
	Modified time.Time
	// Encrypted is VolumeEncryptionEnabled: the API refuses to distribute
	// such an image (ImageDistribute.ImageNotSupport, API-NOTES §5).
	Encrypted bool
}

// Copy is one region's distribution of an image.
type Copy struct {
	RegionID, Status, Progress, VersionID string
}

// ImageFilter narrows a listing on the server side; empty fields do not
// filter.
type ImageFilter struct {
	// ImageID asks for one image (ListImage's ImageId body parameter).
	ImageID      string
	ImageType    string // User, Shared, System or Community
	ProductTypes []string
}

// Page is one page of a listing.
type Page struct {
	Images []Image
	Total  int
}

// ListPage fetches one page (numbered from 1) of up to 100 images. Paging
// is left to the caller so each page is retried, rate-limited and
// deadline-checked like any other call. When ctx carries a reading.Tally
// (reading.Watch), the answer as sent is checked into it before it is
// parsed, so even a page the parser refuses shows why.
func (c *Client) ListPage(ctx context.Context, creds config.Credentials, f ImageFilter, page, size int) (Page, error) {
	params := map[string]string{"PageNumber": strconv.Itoa(page), "PageSize": strconv.Itoa(min(size, maxPageSize))}
	if f.ImageID != "" {
		params["ImageId"] = f.ImageID
	}
	if f.ImageType != "" {
		params["ImageType"] = f.ImageType
	}
	for i, p := range f.ProductTypes {
		params[fmt.Sprintf("ProductTypeList.%d", i+1)] = p
	}
	body, requestID, err := c.call(ctx, creds, ActionList, params)
	if err == nil {
		reading.From(ctx).Add(body)
		var p Page
		if p, err = parsePage(body, page, min(size, maxPageSize)); err == nil {
			return p, nil
		}
		err = &Error{Code: CodeMalformed, Message: err.Error(), RequestID: requestID, HTTPStatus: 200, Class: Retryable}
	}
	return Page{}, fmt.Errorf("list images page %d: %w", page, err)
}

// listed is one Data entry. Every list may be absent: the SDK model marks
// them omitempty, and the 2025-12 response schema has no TagList.
type listed struct {
	ImageID                   string `json:"ImageId"`
	ImageName, ImageType      string
	ProductType, Status       string
	VersionID                 string `json:"VersionId"`
	ImageRegionList           []string
	ImageRegionDistributeList []Copy
	TagList                   []struct{ Key, Value string }
	GmtCreate                 string
	GmtModified               string
	VolumeEncryptionEnabled   flag
}

// parsePage reads a successful ListImage answer. Count must be a number
// and Data an array; Data may be absent or empty only where Count says the
// page is past the end, so a broken answer never reads as "no images".
func parsePage(body []byte, page, size int) (Page, error) {
	var r struct{ Count, Data json.RawMessage }
	var p Page
	if json.Unmarshal(body, &r) != nil || isNull(r.Count) || json.Unmarshal(r.Count, &p.Total) != nil {
		return Page{}, errors.New("the Count field is not a number")
	}
	var data []*listed
	if !isNull(r.Data) && json.Unmarshal(r.Data, &data) != nil {
		return Page{}, errors.New("the Data field is not a list of images")
	}
	if len(data) == 0 && p.Total > (page-1)*size {
		return Page{}, fmt.Errorf("no images on page %d of %d", page, p.Total)
	}
	for _, d := range data {
		if d == nil || d.ImageID == "" {
			return Page{}, errors.New("an image entry has no ImageId")
		}
		img := Image{ImageID: d.ImageID, ImageName: d.ImageName, ImageType: d.ImageType, ProductType: d.ProductType,
			Status: d.Status, VersionID: d.VersionID, Regions: d.ImageRegionList, Copies: d.ImageRegionDistributeList}
		if len(d.TagList) > 0 {
			img.Tags = make(map[string]string, len(d.TagList))
			for _, t := range d.TagList {
				img.Tags[t.Key] = t.Value
			}
		}
		// An unreadable time is no creation time here; the reading check
		// counts it, so it is never silent.
		img.Created, _ = reading.ParseTime(d.GmtCreate)
		img.Modified, _ = reading.ParseTime(d.GmtModified)
		img.Encrypted = bool(d.VolumeEncryptionEnabled)
		p.Images = append(p.Images, img)
	}
	return p, nil
}
