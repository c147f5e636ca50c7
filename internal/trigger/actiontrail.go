package trigger

import (
	"encoding/json"
	"strings"
)

// eventData covers both payloads an image event carries: a direct one
// (imageId, versionId, productType, regionId — JSON field matching is
// case-insensitive, so ImageId works too) and an ActionTrail API-call record,
// the documented route for WUYING image events.
type eventData struct {
	ImageID     string `json:"imageId"`
	VersionID   string `json:"versionId"`
	ProductType string `json:"productType"`
	RegionID    string `json:"regionId"`

	EventName         string            `json:"eventName"`
	ErrorCode         string            `json:"errorCode"`
	AcsRegion         string            `json:"acsRegion"`
	RequestParameters map[string]any    `json:"requestParameters"`
	ResponseElements  *responseElements `json:"responseElements"`
}

// responseElements is the API response ActionTrail recorded.
// CreateImageByInstance answers {Data:{ImageId,VersionId}};
// CreateImageFromAppInstanceGroup answers {ImageId}.
type responseElements struct {
	ImageID string          `json:"ImageId"`
	Data    json.RawMessage `json:"Data"`
}

func (d eventData) image() (Image, string) {
	if d.EventName == "" {
		if d.ImageID == "" {
			return Image{}, "event data names no imageId"
		}
		return Image{ImageID: d.ImageID, VersionID: d.VersionID, ProductType: d.ProductType, SourceRegion: d.RegionID}, ""
	}
	if d.ErrorCode != "" {
		return Image{}, "the " + d.EventName + " call failed (" + d.ErrorCode + "), so no image was created"
	}
	if !strings.HasPrefix(d.EventName, "CreateImage") {
		return Image{}, d.EventName + " does not create an image"
	}
	img := Image{ProductType: param(d.RequestParameters, "ProductType"), SourceRegion: d.AcsRegion}
	if r := d.ResponseElements; r != nil {
		var data struct{ ImageID, VersionID string }
		if json.Unmarshal(r.Data, &data) == nil {
			img.ImageID, img.VersionID = data.ImageID, data.VersionID
		}
		if img.ImageID == "" {
			img.ImageID = r.ImageID
		}
	}
	if img.ImageID == "" {
		img.ImageID = param(d.RequestParameters, "ImageId")
	}
	if img.ImageID == "" {
		return Image{}, "the " + d.EventName + " record names no image ID"
	}
	return img, ""
}

func param(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}
