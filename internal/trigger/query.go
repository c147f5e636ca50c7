package trigger

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/image-distributor/image-distributor/internal/ids"
)

// Parameters a status query takes. Anything else is refused, so that a
// misspelt versionId cannot quietly answer about another version.
const (
	paramImage   = "imageId"
	paramVersion = "versionId"
	paramRegions = "destinationRegions"
)

var queryParams = []string{paramImage, paramVersion, paramRegions}

// parseQuery reads a GET: ?imageId=…, optionally with versionId and
// destinationRegions (comma-separated, as FC also joins a repeated
// parameter), asks where one image is; no parameter at all asks about
// every managed image. A GET carries no body.
func parseQuery(c *HTTPCall) (HTTPRequest, error) {
	bad := func(msg string) (HTTPRequest, error) {
		return HTTPRequest{}, inputErr(400, "InvalidRequest", "query: "+msg)
	}
	if c.Body != "" {
		return bad("a GET takes no body; name the image in the query: ?imageId=imgc-…")
	}
	for _, k := range slices.Sorted(maps.Keys(c.Query)) {
		switch {
		case !slices.Contains(queryParams, k):
			return bad(fmt.Sprintf("unknown parameter %q; a GET takes %s", ids.Clip(k, 40), strings.Join(queryParams, ", ")))
		case c.Query[k] == "":
			return bad(k + " is empty; leave it out instead")
		}
	}
	if _, ok := c.Query[paramImage]; !ok {
		if len(c.Query) > 0 {
			return bad(paramVersion + " and " + paramRegions + " need " + paramImage)
		}
		return HTTPRequest{Query: true}, nil
	}
	img := Image{ImageID: c.Query[paramImage], VersionID: c.Query[paramVersion]}
	if v, ok := c.Query[paramRegions]; ok {
		if n := strings.Count(v, ",") + 1; n > MaxDestinations {
			return bad(fmt.Sprintf("%s lists %d regions, more than %d", paramRegions, n, MaxDestinations))
		}
		img.Destinations = strings.Split(v, ",")
		for i, r := range img.Destinations {
			img.Destinations[i] = strings.TrimSpace(r)
		}
	}
	if err := img.validate(); err != nil {
		return bad(err.Error())
	}
	return HTTPRequest{Query: true, Image: img}, nil
}
