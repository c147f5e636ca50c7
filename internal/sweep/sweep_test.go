package sweep_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func settings(sel config.Sweep) sweep.Settings {
	return sweep.Settings{Sweep: sel, Plan: plan.Settings{
		ProductType: "CloudApp", MaxImages: 2,
		Regions: config.Regions{Default: []string{"cn-hangzhou", "cn-beijing", "cn-shenzhen"},
			Allowed: []string{"cn-beijing", "cn-hangzhou", "cn-shenzhen"}},
	}}
}

// image is an AVAILABLE user image built in cn-shanghai an hour ago.
func image(id string, copies ...appstream.Copy) appstream.Image {
	return appstream.Image{ImageID: id, ImageName: "finance-" + id, ImageType: "User", ProductType: "CloudApp",
		Status: "AVAILABLE", VersionID: "iv-2", Regions: []string{"cn-shanghai"}, Copies: copies,
		Tags: map[string]string{"team": "fin"}, Created: now.Add(-time.Hour)}
}

func cp(region, status, progress string) appstream.Copy {
	return appstream.Copy{RegionID: region, Status: status, Progress: progress, VersionID: "iv-2"}
}

func TestReconcile(t *testing.T) {
	byName := config.Sweep{NamePattern: "finance-*"}
	tests := []struct {
		name   string
		listed []appstream.Image
		named  []trigger.Image
		sel    config.Sweep
		want   []sweep.Item
	}{
		{"nothing copied yet", []appstream.Image{image("imgc-a")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")}}},
		{"only missing regions are started", []appstream.Image{image("imgc-a", cp("cn-hangzhou", "AVAILABLE", "100%"), cp("cn-beijing", "CREATING", "70%"))}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-shenzhen"), Progress: map[string]string{"cn-beijing": "70%"}}}},
		{"in progress", []appstream.Image{image("imgc-a", cp("cn-hangzhou", "AVAILABLE", "100%"), cp("cn-beijing", "INIT", "0%"), cp("cn-shenzhen", "CREATING", "5%"))}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.InProgress, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen"), Progress: map[string]string{"cn-beijing": "0%", "cn-shenzhen": "5%"}}}},
		{"complete", []appstream.Image{image("imgc-a", cp("cn-hangzhou", "AVAILABLE", "100%"), cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Complete, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")}}},
		{"failed copy is started again", []appstream.Image{image("imgc-a", cp("cn-hangzhou", "CREATE_FAILED", "40%"), cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou")}}},
		{"an old version's copy does not count", []appstream.Image{image("imgc-a", appstream.Copy{RegionID: "cn-hangzhou", Status: "AVAILABLE", VersionID: "iv-1"}, cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou")}}},
		{"still being created", []appstream.Image{withStatus(image("imgc-a"), "CREATING")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Deferred, Code: "ImageNotReady", Task: task("imgc-a"), Reason: "the image is CREATING; it is distributed once AVAILABLE"}}},
		{"creation failed", []appstream.Image{withStatus(image("imgc-a"), "CREATE_FAILED")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Failed, Code: "ImageNotAvailable", Task: task("imgc-a"), Reason: "the image is CREATE_FAILED, not AVAILABLE"}}},
		{"too young", []appstream.Image{young(image("imgc-a"))}, nil, config.Sweep{NamePattern: "finance-*", MinAge: 10 * time.Minute}, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Deferred, Code: "ImageTooNew", Task: task("imgc-a"), Reason: "created 1m0s ago; SWEEP_MIN_AGE leaves it to its creation event for 10m0s"}}},
		{"not selected", []appstream.Image{image("imgc-a")}, nil, config.Sweep{NamePattern: "hr-*"}, nil},
		{"no selection manages nothing", []appstream.Image{image("imgc-a")}, nil, config.Sweep{}, nil},
		{"tags must all match", []appstream.Image{image("imgc-a")}, nil, config.Sweep{Tags: map[string]string{"team": "fin", "env": "prod"}}, nil},
		{"selected by ID", []appstream.Image{image("imgc-a"), image("imgc-b")}, nil, config.Sweep{ImageIDs: []string{"imgc-b"}}, []sweep.Item{
			{ImageID: "imgc-b", Action: sweep.Start, Task: task("imgc-b", "cn-hangzhou", "cn-beijing", "cn-shenzhen")}}},
		{"shared images are never selected", []appstream.Image{withType(image("imgc-a"), "Shared")}, nil, byName, nil},
		{"product filter", []appstream.Image{image("imgc-a")}, nil, config.Sweep{NamePattern: "*", ProductTypes: []string{"CloudDesktop"}}, nil},
		{"payload names an image and its regions", []appstream.Image{image("imgc-a")}, []trigger.Image{{ImageID: "imgc-a", Destinations: []string{"cn-beijing"}}}, config.Sweep{}, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-beijing")}}},
		{"payload image not listed", nil, []trigger.Image{{ImageID: "imgc-gone"}}, config.Sweep{}, []sweep.Item{
			{ImageID: "imgc-gone", Action: sweep.Failed, Code: "ImageNotFound", Reason: "ListImage does not return this image"}}},
		{"payload region not allowed", []appstream.Image{image("imgc-a")}, []trigger.Image{{ImageID: "imgc-a", Destinations: []string{"us-west-1"}}}, config.Sweep{}, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Failed, Code: "RegionNotAllowed", Task: task("imgc-a"), Reason: "destination region us-west-1 is not in ALLOWED_REGIONS"}}},
		{"cap on starts per run", []appstream.Image{image("imgc-a"), image("imgc-b"), image("imgc-c")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")},
			{ImageID: "imgc-b", Action: sweep.Start, Task: task("imgc-b", "cn-hangzhou", "cn-beijing", "cn-shenzhen")},
			{ImageID: "imgc-c", Action: sweep.NotReached, Code: "TooManyImages", Task: task("imgc-c", "cn-hangzhou", "cn-beijing", "cn-shenzhen"),
				Reason: "more than 2 images need copies (MAX_IMAGES_PER_INVOCATION); the next run continues"}}},
		{"listed twice", []appstream.Image{image("imgc-a"), image("imgc-a")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := sweep.Reconcile(tc.listed, tc.named, settings(tc.sel), now)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Reconcile() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func task(id string, regions ...string) plan.Task {
	return plan.Task{ImageID: id, VersionID: "iv-2", ProductType: "CloudApp", SourceRegion: "cn-shanghai", Regions: regions}
}

func withStatus(img appstream.Image, s string) appstream.Image { img.Status = s; return img }
func withType(img appstream.Image, s string) appstream.Image   { img.ImageType = s; return img }
func young(img appstream.Image) appstream.Image                { img.Created = now.Add(-time.Minute); return img }
