package sweep_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

var now = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

func settings(sel config.Sweep) sweep.Settings {
	return sweep.Settings{Sweep: sel, Period: 5 * time.Minute, Plan: plan.Settings{
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
		{"failed copy waits for its backoff step", []appstream.Image{image("imgc-a", cp("cn-hangzhou", "CREATE_FAILED", "40%"), cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Backoff, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen"),
				Reason: "no region that needs a copy is due on this tick: failed, refused or missing past its first two hours, each is asked for again on a backoff schedule; the next at 2026-11-29T12:20:00Z"}}},
		{"failed copy is started again at its step", []appstream.Image{created(image("imgc-a", cp("cn-hangzhou", "CREATE_FAILED", "40%"), cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%")), -80*time.Minute)}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou")}}},
		{"an old version's copy does not count", []appstream.Image{image("imgc-a", appstream.Copy{RegionID: "cn-hangzhou", Status: "AVAILABLE", VersionID: "iv-1"}, cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou")}}},
		{"still being created", []appstream.Image{withStatus(image("imgc-a"), "CREATING")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Deferred, Code: "ImageNotReady", Task: task("imgc-a"), Reason: "the image is CREATING; it is distributed once AVAILABLE"}}},
		{"creation failed", []appstream.Image{withStatus(image("imgc-a"), "CREATE_FAILED")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Blocked, Code: "ImageNotAvailable", Task: task("imgc-a"), Reason: "the image is CREATE_FAILED, not AVAILABLE", Next: now.Add(20 * time.Minute)}}},
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
			{ImageID: "imgc-gone", Action: sweep.Blocked, Code: "ImageNotFound", Reason: "ListImage returns no User image with this ID",
				Next: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}}},
		{"payload region not allowed", []appstream.Image{image("imgc-a")}, []trigger.Image{{ImageID: "imgc-a", Destinations: []string{"us-west-1"}}}, config.Sweep{}, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Blocked, Code: "RegionNotAllowed", Task: task("imgc-a"), Reason: "destination region us-west-1 is not in ALLOWED_REGIONS",
				Region: "us-west-1", Next: now.Add(20 * time.Minute)}}},
		{"cap on starts per run", []appstream.Image{image("imgc-a"), image("imgc-b"), image("imgc-c")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")},
			{ImageID: "imgc-b", Action: sweep.Start, Task: task("imgc-b", "cn-hangzhou", "cn-beijing", "cn-shenzhen")},
			{ImageID: "imgc-c", Action: sweep.NotReached, Code: "TooManyImages", Task: task("imgc-c", "cn-hangzhou", "cn-beijing", "cn-shenzhen"),
				Reason: "more than 2 images need copies (MAX_IMAGES_PER_INVOCATION); the next run continues"}}},
		{"listed twice", []appstream.Image{image("imgc-a"), image("imgc-a")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")}}},

		// Where the image is: ImageRegionList may list copy regions too.
		{"a listed region whose copy is under way is not done", []appstream.Image{listing(image("imgc-a", cp("cn-shanghai", "AVAILABLE", "100%"), cp("cn-hangzhou", "CREATING", "50%")), "cn-shanghai", "cn-hangzhou")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-beijing", "cn-shenzhen"), Progress: map[string]string{"cn-hangzhou": "50%"}}}},
		{"the source is the listed region holding the version, wherever it is listed", []appstream.Image{listing(image("imgc-a", cp("cn-hangzhou", "INIT", "0%"), cp("cn-shanghai", "AVAILABLE", "100%")), "cn-hangzhou", "cn-shanghai")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-beijing", "cn-shenzhen"), Progress: map[string]string{"cn-hangzhou": "0%"}}}},
		{"several listed regions hold it: the API picks the source", []appstream.Image{listing(image("imgc-a", cp("cn-shanghai", "AVAILABLE", "100%"), cp("cn-hangzhou", "AVAILABLE", "100%")), "cn-shanghai", "cn-hangzhou")}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: sourced("", "imgc-a", "cn-beijing", "cn-shenzhen")}}},
		{"both lists absent: every region is started and the API picks the source", []appstream.Image{listing(image("imgc-a"))}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: sourced("", "imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")}}},
		{"a copy without a version is started", []appstream.Image{image("imgc-a", appstream.Copy{RegionID: "cn-hangzhou", Status: "AVAILABLE"}, cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))}, nil, byName, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou")}}},
		{"the payload's version decides what counts", []appstream.Image{image("imgc-a", cp("cn-hangzhou", "AVAILABLE", "100%"))}, []trigger.Image{{ImageID: "imgc-a", VersionID: "iv-1", Destinations: []string{"cn-hangzhou"}}}, config.Sweep{}, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: plan.Task{ImageID: "imgc-a", VersionID: "iv-1", ProductType: "CloudApp", SourceRegion: "cn-shanghai", Regions: []string{"cn-hangzhou"}}}}},

		{"the payload's source region wins", []appstream.Image{listing(image("imgc-a"), "cn-shanghai", "cn-hangzhou")}, []trigger.Image{{ImageID: "imgc-a", SourceRegion: "cn-hangzhou"}}, config.Sweep{}, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: sourced("cn-hangzhou", "imgc-a", "cn-beijing", "cn-shenzhen")}}},

		// SWEEP_CREATED_AFTER: a union with the other selectors.
		{"created after the instant", []appstream.Image{image("imgc-a"), created(image("imgc-old"), -2*time.Hour)}, nil, config.Sweep{CreatedAfter: now.Add(-90 * time.Minute)}, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")}}},
		{"created at the instant", []appstream.Image{image("imgc-a")}, nil, config.Sweep{CreatedAfter: now.Add(-time.Hour)}, []sweep.Item{
			{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")}}},
		{"creation instants compare across zones", []appstream.Image{gmtCreate(image("imgc-a"), "2026-11-29 15:00:00")}, nil, config.Sweep{CreatedAfter: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)}, nil},
		{"no creation time: not selected by creation alone", []appstream.Image{created(image("imgc-a"), 0)}, nil, config.Sweep{CreatedAfter: now.Add(-90 * time.Minute)}, nil},
		{"union with the name pattern", []appstream.Image{image("imgc-a"), named(created(image("imgc-b"), -100*time.Minute), "hr-b")}, nil,
			config.Sweep{NamePattern: "hr-*", CreatedAfter: now.Add(-90 * time.Minute)}, []sweep.Item{
				{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen")},
				{ImageID: "imgc-b", Action: sweep.Start, Task: task("imgc-b", "cn-hangzhou", "cn-beijing", "cn-shenzhen")}}},
		{"the product filter limits creation too", []appstream.Image{image("imgc-a")}, nil, config.Sweep{CreatedAfter: now.Add(-90 * time.Minute), ProductTypes: []string{"CloudDesktop"}}, nil},
		{"shared images are never selected by creation", []appstream.Image{withType(image("imgc-a"), "Shared")}, nil, config.Sweep{CreatedAfter: now.Add(-90 * time.Minute)}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := sweep.Reconcile(tc.listed, tc.named, settings(tc.sel), now)
			// Coverage, the same for every action, has its own test.
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(sweep.Item{}, "Coverage", "Attempts", "Listed")); diff != "" {
				t.Errorf("Reconcile() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func task(id string, regions ...string) plan.Task { return sourced("cn-shanghai", id, regions...) }

func sourced(source, id string, regions ...string) plan.Task {
	return plan.Task{ImageID: id, VersionID: "iv-2", ProductType: "CloudApp", SourceRegion: source, Regions: regions}
}

// listing sets ImageRegionList; none leaves it absent.
func listing(img appstream.Image, regions ...string) appstream.Image {
	img.Regions = regions
	return img
}
func named(img appstream.Image, name string) appstream.Image { img.ImageName = name; return img }

// created sets the creation time relative to now; 0 means GmtCreate was
// absent or unreadable.
func created(img appstream.Image, ago time.Duration) appstream.Image {
	img.Created = time.Time{}
	if ago != 0 {
		img.Created = now.Add(ago)
	}
	return img
}

// gmtCreate sets the creation time as the API renders it, in UTC+8.
func gmtCreate(img appstream.Image, s string) appstream.Image {
	img.Created, _ = time.ParseInLocation(time.DateTime, s, time.FixedZone("UTC+8", 8*60*60))
	return img
}

func withStatus(img appstream.Image, s string) appstream.Image { img.Status = s; return img }
func withType(img appstream.Image, s string) appstream.Image   { img.ImageType = s; return img }
func young(img appstream.Image) appstream.Image                { img.Created = now.Add(-time.Minute); return img }
