package appstreamtest

import (
	"cmp"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// gmtZone is the zone GmtCreate is rendered in. China has no daylight
// saving, so a fixed zone is exact and needs no tzdata.
var gmtZone = time.FixedZone("Asia/Shanghai", 8*60*60)

// Paging limits of the ListImage API page.
const (
	defaultPageSize = 10
	maxPageSize     = 100
)

// listBody is the ListImage success shape; Code is a string here, as in the
// Tea model, unlike StartTaskForDistributeImage's documented example.
type listBody struct {
	RequestID  string            `json:"RequestId"`
	Count      int               `json:"Count"`
	PageNumber int               `json:"PageNumber"`
	PageSize   int               `json:"PageSize"`
	Success    bool              `json:"Success"`
	Code       string            `json:"Code"`
	Data       []json.RawMessage `json:"Data"`
}

// listedImage is one Data entry. An empty list is left out, never sent as
// null or []: the SDK model marks every list omitempty (API-NOTES §7), so
// a client must take a missing list for an empty one.
type listedImage struct {
	ImageID                   string       `json:"ImageId"`
	ImageName                 string       `json:"ImageName"`
	ImageType                 string       `json:"ImageType"`
	ProductType               string       `json:"ProductType"`
	Status                    string       `json:"Status"`
	VersionID                 string       `json:"VersionId"`
	LatestVersionID           string       `json:"LatestVersionId"`
	ImageRegionList           []string     `json:"ImageRegionList,omitempty"`
	ImageRegionDistributeList []regionCopy `json:"ImageRegionDistributeList,omitempty"`
	TagList                   []tag        `json:"TagList,omitempty"`
	GmtCreate                 string       `json:"GmtCreate"`
	GmtModified               string       `json:"GmtModified"`
}

// regionCopy is one ImageRegionDistributeList entry.
type regionCopy struct {
	ImageID   string `json:"ImageId"`
	RegionID  string `json:"RegionId"`
	Status    string `json:"Status"`
	Progress  string `json:"Progress"`
	VersionID string `json:"VersionId"`
}

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// listImage answers one page of the catalogue, newest first.
func (s *Server) listImage(ctx context.Context, c *Call) answer {
	q, bad := parseListQuery(c.Params)
	if bad != "" {
		return errorAnswer(c.RequestID, Response{Status: http.StatusBadRequest,
			Code: "InvalidParameter." + bad, Message: "Specified parameter " + bad + " is not valid."})
	}
	if a, done := s.playScript(ctx, &s.listScript, c.RequestID); done {
		return a
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var match []*entry
	for _, e := range s.images {
		if q.matches(e) {
			match = append(match, e)
		}
	}
	// ImageID breaks ties so pages never overlap or skip.
	slices.SortFunc(match, func(a, b *entry) int {
		return cmp.Or(b.Created.Compare(a.Created), strings.Compare(a.ImageID, b.ImageID))
	})
	body := listBody{RequestID: c.RequestID, Count: len(match), PageNumber: q.page, PageSize: q.size,
		Success: true, Code: "200", Data: []json.RawMessage{}}
	from := min((q.page-1)*q.size, len(match))
	now := time.Now()
	for _, e := range match[from:min(from+q.size, len(match))] {
		body.Data = append(body.Data, plant(s.renderLocked(e, now), e.Fields))
	}
	raw, _ := json.Marshal(body)
	return answer{status: http.StatusOK, body: raw}
}

// renderLocked describes e as ListImage does at now.
func (s *Server) renderLocked(e *entry, now time.Time) listedImage {
	li := listedImage{ImageID: e.ImageID, ImageName: e.ImageName, ImageType: e.ImageType,
		ProductType: e.ProductType, Status: e.Status, VersionID: e.VersionID, LatestVersionID: e.VersionID,
		ImageRegionDistributeList: s.copiesLocked(e, now),
		GmtCreate:                 e.Created.In(gmtZone).Format(time.DateTime), GmtModified: e.modified.In(gmtZone).Format(time.DateTime)}
	if e.HomeRegion != "" {
		li.ImageRegionList = append(li.ImageRegionList, e.HomeRegion)
	}
	if s.omitTags {
		return li
	}
	for _, k := range slices.Sorted(maps.Keys(e.Tags)) {
		li.TagList = append(li.TagList, tag{k, e.Tags[k]})
	}
	return li
}

// plant renders li with fields replaced as planted (Image.Fields): a nil
// value leaves the field out.
func plant(li listedImage, fields map[string]json.RawMessage) json.RawMessage {
	raw, _ := json.Marshal(li)
	if len(fields) == 0 {
		return raw
	}
	var m map[string]json.RawMessage
	json.Unmarshal(raw, &m)
	for k, v := range fields {
		if v == nil {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	raw, _ = json.Marshal(m)
	return raw
}
