package appstreamtest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// listPage is a decoded ListImage answer.
type listPage struct {
	RequestID  string `json:"RequestId"`
	Count      int
	PageNumber int
	PageSize   int
	Success    bool
	Code       string
	Data       []listed
}

type listed struct {
	ImageID                   string `json:"ImageId"`
	ImageName                 string
	ImageType                 string
	ProductType               string
	Status                    string
	VersionID                 string `json:"VersionId"`
	LatestVersionID           string `json:"LatestVersionId"`
	ImageRegionList           []string
	ImageRegionDistributeList []regionCopy
	TagList                   []struct{ Key, Value string }
	GmtCreate, GmtModified    string
}

type regionCopy struct {
	ImageID   string `json:"ImageId"`
	RegionID  string `json:"RegionId"`
	Status    string
	Progress  string
	VersionID string `json:"VersionId"`
}

// listSDK sends ListImage through the real SDK with form (body) and query
// parameters; status and code describe an error answer.
func listSDK(t *testing.T, s *appstreamtest.Server, form, query map[string]string) (listPage, int, string) {
	t.Helper()
	raw, status, code := listRaw(t, s, form, query)
	if code != "" {
		return listPage{}, status, code
	}
	var p listPage
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatalf("decode %q: %v", raw, err)
	}
	return p, status, ""
}

// listRaw is listSDK returning the body of a successful answer as sent.
func listRaw(t *testing.T, s *appstreamtest.Server, form, query map[string]string) ([]byte, int, string) {
	t.Helper()
	client, err := sdk.NewClientWithOptions("cn-shanghai", sdk.NewConfig(),
		credentials.NewStaticSTSCredentialsProvider(testCred.AccessKeyID, testCred.AccessKeySecret, testCred.SecurityToken))
	if err != nil {
		t.Fatalf("NewClientWithOptions: %v", err)
	}
	req := requests.NewCommonRequest()
	req.Method, req.Scheme = requests.POST, "http"
	req.Domain = strings.TrimPrefix(s.URL(), "http://")
	req.Product, req.Version, req.ApiName = "appstream-center", "2021-09-01", "ListImage"
	for k, v := range form {
		req.FormParams[k] = v
	}
	for k, v := range query {
		req.QueryParams[k] = v
	}
	resp, err := client.ProcessCommonRequest(req)
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		return nil, se.HttpStatus(), se.ErrorCode()
	}
	if err != nil {
		t.Fatalf("ListImage: %v", err)
	}
	return resp.GetHttpContentBytes(), resp.GetHttpStatus(), ""
}

// mustList is listSDK for calls that must succeed.
func mustList(t *testing.T, s *appstreamtest.Server, form, query map[string]string) listPage {
	t.Helper()
	p, status, code := listSDK(t, s, form, query)
	if status != 200 || !p.Success || p.Code != "200" {
		t.Fatalf("ListImage(%v, %v) = %d %q %+v, want 200 Success", form, query, status, code, p)
	}
	return p
}

func ids(p listPage) []string {
	out := []string{}
	for _, d := range p.Data {
		out = append(out, d.ImageID)
	}
	return out
}

func TestListImagePaging(t *testing.T) {
	s := newServer(t)
	base := time.Date(2025, 4, 25, 0, 0, 0, 0, time.UTC)
	var want []string // newest first; ties (five per minute) by ID
	for i := range 25 {
		s.AddImage(appstreamtest.Image{ImageID: fmt.Sprintf("imgc-%02d", i), Created: base.Add(time.Duration(i/5) * time.Minute)})
	}
	for m := 4; m >= 0; m-- {
		for i := range 5 {
			want = append(want, fmt.Sprintf("imgc-%02d", m*5+i))
		}
	}
	var got []string
	for page, n := range []int{10, 10, 5, 0} {
		p := mustList(t, s, map[string]string{"PageNumber": fmt.Sprint(page + 1), "PageSize": "10"}, nil)
		if len(p.Data) != n || p.Count != 25 || p.PageNumber != page+1 || p.PageSize != 10 {
			t.Fatalf("page %d: %d images, Count %d, PageNumber %d, PageSize %d; want %d, 25, %d, 10", page+1, len(p.Data), p.Count, p.PageNumber, p.PageSize, n, page+1)
		}
		got = append(got, ids(p)...)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paged IDs mismatch (-want +got):\n%s", diff)
	}
	if n := s.ListCalls(); n != 4 {
		t.Errorf("ListCalls() = %d, want 4", n)
	}
}

func TestListImageFilters(t *testing.T) {
	s := newServer(t)
	base := time.Date(2025, 4, 25, 0, 0, 0, 0, time.UTC)
	for i, img := range []appstreamtest.Image{
		{ImageID: "imgc-a", ImageName: "web-prod", ProductType: "CloudApp", Tags: map[string]string{"env": "prod", "team": "web"}},
		{ImageID: "imgc-b", ImageName: "web-dev", ProductType: "CloudDesktop", Status: "CREATING", Tags: map[string]string{"env": "dev"}},
		{ImageID: "imgc-c", ImageName: "db", ProductType: "WuyingServer", ImageType: "System", Tags: map[string]string{"env": "prod"}},
	} {
		img.Created = base.Add(time.Duration(i) * time.Hour)
		s.AddImage(img)
	}
	tests := []struct {
		name        string
		form, query map[string]string
		want        []string
	}{
		{name: "none", want: []string{"imgc-c", "imgc-b", "imgc-a"}},
		{name: "ImageId", form: map[string]string{"ImageId": "imgc-b"}, want: []string{"imgc-b"}},
		{name: "ImageName substring", form: map[string]string{"ImageName": "web"}, want: []string{"imgc-b", "imgc-a"}},
		{name: "Status", form: map[string]string{"Status": "AVAILABLE"}, want: []string{"imgc-c", "imgc-a"}},
		{name: "ImageType default User", form: map[string]string{"ImageType": "User"}, want: []string{"imgc-b", "imgc-a"}},
		{name: "ProductType", form: map[string]string{"ProductType": "CloudApp"}, want: []string{"imgc-a"}},
		{name: "ProductTypeList", form: map[string]string{"ProductTypeList.1": "CloudApp", "ProductTypeList.2": "WuyingServer"}, want: []string{"imgc-c", "imgc-a"}},
		{name: "tag in query", query: map[string]string{"TagList.1.Key": "env", "TagList.1.Value": "prod"}, want: []string{"imgc-c", "imgc-a"}},
		{name: "all tags must match", query: map[string]string{"TagList.1.Key": "env", "TagList.1.Value": "prod", "TagList.2.Key": "team", "TagList.2.Value": "web"}, want: []string{"imgc-a"}},
		{name: "tag in body", form: map[string]string{"TagList.1.Key": "env", "TagList.1.Value": "dev"}, want: []string{"imgc-b"}},
		{name: "filters combine", form: map[string]string{"ImageName": "web", "Status": "CREATING"}, want: []string{"imgc-b"}},
		{name: "no match", form: map[string]string{"ImageId": "imgc-z"}, want: []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := mustList(t, s, tc.form, tc.query)
			if diff := cmp.Diff(tc.want, ids(p)); diff != "" || p.Count != len(tc.want) {
				t.Errorf("ListImage Count %d, want %d; IDs mismatch (-want +got):\n%s", p.Count, len(tc.want), diff)
			}
		})
	}
}

func TestListImageBadPaging(t *testing.T) {
	tests := []struct {
		name string
		form map[string]string
		code string
	}{
		{name: "PageSize 101", form: map[string]string{"PageSize": "101"}, code: "InvalidParameter.PageSize"},
		{name: "PageSize 0", form: map[string]string{"PageSize": "0"}, code: "InvalidParameter.PageSize"},
		{name: "PageSize not a number", form: map[string]string{"PageSize": "ten"}, code: "InvalidParameter.PageSize"},
		{name: "PageNumber 0", form: map[string]string{"PageNumber": "0"}, code: "InvalidParameter.PageNumber"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			if _, status, code := listSDK(t, s, tc.form, nil); status != 400 || code != tc.code {
				t.Errorf("ListImage(%v) = %d %q, want 400 %q", tc.form, status, code, tc.code)
			}
		})
	}
	s := newServer(t)
	if p := mustList(t, s, map[string]string{"PageSize": "100"}, nil); p.PageSize != 100 {
		t.Errorf("PageSize = %d, want 100 accepted", p.PageSize)
	}
}

func TestListImageShape(t *testing.T) {
	s := newServer(t)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-abc", ImageName: "app", ProductType: "CloudApp", HomeRegion: "cn-shanghai",
		Tags: map[string]string{"b": "2", "a": "1"}, Created: time.Date(2025, 4, 25, 7, 13, 57, 0, time.UTC)})
	p := mustList(t, s, nil, nil)
	if p.PageNumber != 1 || p.PageSize != 10 || p.Count != 1 || len(p.Data) != 1 || p.RequestID == "" {
		t.Fatalf("ListImage() = %+v, want page 1 of size 10 holding one image", p)
	}
	want := listed{ImageID: "imgc-abc", ImageName: "app", ImageType: "User", ProductType: "CloudApp", Status: "AVAILABLE",
		VersionID: "iv-abc", LatestVersionID: "iv-abc", ImageRegionList: []string{"cn-shanghai"},
		ImageRegionDistributeList: []regionCopy{{"imgc-abc", "cn-shanghai", "AVAILABLE", "100%", "iv-abc"}},
		TagList:                   []struct{ Key, Value string }{{"a", "1"}, {"b", "2"}},
		GmtCreate:                 "2025-04-25 15:13:57", GmtModified: "2025-04-25 15:13:57"}
	if diff := cmp.Diff(want, p.Data[0]); diff != "" {
		t.Errorf("image mismatch (-want +got):\n%s", diff)
	}
}

func TestListImageGateway(t *testing.T) {
	s := newServer(t)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1"})
	s.SetListError(appstreamtest.ErrorResponse("ServiceUnavailable"))
	if _, status, code := listSDK(t, s, nil, nil); status != 503 || code != "ServiceUnavailable" {
		t.Fatalf("scripted ListImage = %d %q, want 503 ServiceUnavailable", status, code)
	}
	mustList(t, s, nil, nil) // the scripted error was used once

	s.SetLatency(100 * time.Millisecond)
	start := time.Now()
	mustList(t, s, nil, nil)
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("ListImage took %v, want at least the 100ms latency", d)
	}
	s.SetLatency(0)

	s.SetQPSLimit(0.001) // burst 1, then no refill within the test
	mustList(t, s, nil, nil)
	if _, status, code := listSDK(t, s, nil, nil); status != 400 || code != "Throttling.User" {
		t.Errorf("second ListImage = %d %q, want 400 Throttling.User", status, code)
	}
	if n := s.ListCalls(); n != 5 {
		t.Errorf("ListCalls() = %d, want 5, scripted and throttled included", n)
	}
}
