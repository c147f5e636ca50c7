package trigger

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/image-distributor/image-distributor/internal/ids"
)

// MaxDestinations bounds an explicit destination list; there are fewer
// Alibaba Cloud regions than this.
const MaxDestinations = 64

// Image is one image to distribute, as the trigger described it. Empty
// fields are filled in by planning from configuration.
type Image struct {
	ImageID      string   `json:"imageId"`
	VersionID    string   `json:"versionId,omitempty"`
	ProductType  string   `json:"productType,omitempty"`
	SourceRegion string   `json:"sourceRegion,omitempty"`
	Destinations []string `json:"destinationRegions,omitempty"`
	// EventID is "source/id" of the CloudEvent that named the image, for logs.
	EventID string `json:"-"`
}

func (img Image) validate() error {
	if err := ids.CheckImage(img.ImageID); err != nil {
		return err
	}
	if err := ids.CheckVersion(img.VersionID); err != nil {
		return err
	}
	if err := ids.CheckProductType(img.ProductType); err != nil {
		return err
	}
	if img.SourceRegion != "" {
		if err := ids.CheckRegion(img.SourceRegion); err != nil {
			return fmt.Errorf("sourceRegion: %w", err)
		}
	}
	if len(img.Destinations) > MaxDestinations {
		return fmt.Errorf("destinationRegions lists %d regions, more than %d", len(img.Destinations), MaxDestinations)
	}
	for _, r := range img.Destinations {
		if err := ids.CheckRegion(r); err != nil {
			return fmt.Errorf("destinationRegions: %w", err)
		}
	}
	return nil
}

// decodeStrict decodes exactly one JSON value into v, refusing unknown
// fields: a misspelt "destinationRegion" must not silently fall back to the
// configured regions and copy an image somewhere the caller did not mean.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New(jsonMessage(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// decodeImage parses and validates the image object shared by HTTP bodies
// and timer payloads.
func decodeImage(data []byte) (Image, error) {
	var img Image
	if err := decodeStrict(data, &img); err != nil {
		return Image{}, err
	}
	if err := img.validate(); err != nil {
		return Image{}, err
	}
	return img, nil
}
