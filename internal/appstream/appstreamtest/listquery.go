package appstreamtest

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// listQuery is a parsed ListImage request. Empty filters match everything.
type listQuery struct {
	page, size                                    int
	imageID, name, status, imageType, productType string
	productTypes                                  []string
	tags                                          []tag
}

// parseListQuery reads the paging and filters, or names the bad parameter.
func parseListQuery(p url.Values) (listQuery, string) {
	q := listQuery{imageID: p.Get("ImageId"), name: p.Get("ImageName"), status: p.Get("Status"),
		imageType: p.Get("ImageType"), productType: p.Get("ProductType"),
		productTypes: indexedList(p, "ProductTypeList"), tags: tagList(p)}
	var ok bool
	if q.page, ok = intParam(p, "PageNumber", 1); !ok || q.page < 1 {
		return q, "PageNumber"
	}
	if q.size, ok = intParam(p, "PageSize", defaultPageSize); !ok || q.size < 1 || q.size > maxPageSize {
		return q, "PageSize"
	}
	return q, ""
}

// matches applies every filter; ImageName is a substring match and a tag
// with an empty Value matches on its key alone.
func (q listQuery) matches(e *entry) bool {
	switch {
	case q.imageID != "" && e.ImageID != q.imageID,
		!strings.Contains(e.ImageName, q.name),
		q.status != "" && e.Status != q.status,
		q.imageType != "" && e.ImageType != q.imageType,
		q.productType != "" && e.ProductType != q.productType,
		len(q.productTypes) > 0 && !slices.Contains(q.productTypes, e.ProductType):
		return false
	}
	for _, t := range q.tags {
		if v, ok := e.Tags[t.Key]; !ok || (t.Value != "" && v != t.Value) {
			return false
		}
	}
	return true
}

// intParam parses p[name], or returns def when it is absent.
func intParam(p url.Values, name string, def int) (int, bool) {
	v := p.Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// tagList reads TagList.N.Key / TagList.N.Value pairs in index order. The
// API takes them in the query, but p holds query and body alike.
func tagList(p url.Values) []tag {
	keys := indexed(p, "TagList", ".Key")
	out := make([]tag, 0, len(keys))
	for _, k := range keys {
		out = append(out, tag{Key: k.v, Value: p.Get("TagList." + strconv.Itoa(k.i) + ".Value")})
	}
	return out
}
