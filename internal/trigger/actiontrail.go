package trigger

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/image-distributor/image-distributor/internal/ids"
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
	RequestParameters map[string]any    `json:"requestParameters"`
	ResponseElements  *responseElements `json:"responseElements"`
	// Raw: a fallback read only by referencedImage, so a shape it does
	// not expect is ignored rather than rejecting the whole event.
	ReferencedResources json.RawMessage `json:"referencedResources"`
}

// responseElements is the API response ActionTrail recorded.
// CreateImageByInstance answers {Data:{ImageId,VersionId}};
// CreateImageFromAppInstanceGroup answers {ImageId}.
type responseElements struct {
	ImageID string          `json:"ImageId"`
	Data    json.RawMessage `json:"Data"`
}

// The image() skip reason for a create record that names no image. The
// only published EventBridge sample of an ActionTrail event carries no
// responseElements, so this is an expected delivery, not a malformed one.
const noImageID = " record names no image ID (no responseElements); the timer sweep distributes the image if its SWEEP_* selection covers it"

func (d eventData) image() (Image, string) {
	if d.EventName == "" {
		if d.ImageID == "" {
			return Image{}, "event data names no imageId"
		}
		// The direct shape is the operator's own pipeline: when it names
		// the source region, it knows it, as an HTTP caller would.
		return Image{ImageID: d.ImageID, VersionID: d.VersionID, ProductType: d.ProductType, SourceRegion: d.RegionID}, ""
	}
	if d.ErrorCode != "" {
		return Image{}, "the " + d.EventName + " call failed (" + d.ErrorCode + "), so no image was created"
	}
	if !strings.HasPrefix(d.EventName, "CreateImage") {
		return Image{}, d.EventName + " does not create an image"
	}
	// No SourceRegion: images are centralized and acsRegion is only the
	// endpoint the call went to (cn-shanghai or ap-southeast-1), not where
	// the image was built. Left empty, the API picks the source itself.
	img := Image{ProductType: productType(d.RequestParameters)}
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
		img.ImageID = referencedImage(d.ReferencedResources)
	}
	if img.ImageID == "" {
		return Image{}, "the " + d.EventName + noImageID
	}
	return img, ""
}

// productType reads the product from the create call's parameters.
// CreateImageFromAppInstanceGroup requires ProductType; the public
// parameter of CreateImageByInstance is InstanceType (CloudDesktop or
// WuyingServer), and ProductType is documented there as not public.
func productType(params map[string]any) string {
	if p := param(params, "ProductType"); p != "" {
		return p
	}
	return param(params, "InstanceType")
}

// referencedImage infers the image from ActionTrail's referencedResources,
// shaped {"ACS::<Service>::<Type>": ["<id>", …]} in the published sample.
// The resource type of a WUYING image is not published, so this is an
// inference: only a list under a type ending in ::Image counts, only values
// that are valid image IDs, and only when they name exactly one image.
func referencedImage(raw json.RawMessage) string {
	var refs map[string]any
	if json.Unmarshal(raw, &refs) != nil {
		return ""
	}
	var found []string
	for typ, v := range refs {
		list, _ := v.([]any)
		if !strings.HasSuffix(typ, "::Image") {
			continue
		}
		for _, item := range list {
			if id, _ := item.(string); ids.CheckImage(id) == nil && !slices.Contains(found, id) {
				found = append(found, id)
			}
		}
	}
	if len(found) != 1 {
		return ""
	}
	return found[0]
}

func param(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}
