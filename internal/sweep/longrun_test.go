package sweep_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

// The decisions the long run rests on, one image at a time.
func TestReconcileLongRun(t *testing.T) {
	byName := config.Sweep{NamePattern: "finance-*"}
	old := func(img appstream.Image) appstream.Image { return created(img, -3*24*time.Hour-time.Minute) } // a minute past a daily step
	encrypted := image("imgc-a", cp("cn-beijing", "AVAILABLE", "100%"))
	encrypted.Encrypted = true
	other := image("imgc-a", appstream.Copy{RegionID: "cn-hangzhou", Status: "AVAILABLE", VersionID: "iv-1"}, cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))
	bySource := map[string][]string{"cn-shanghai": {"cn-shenzhen"}}
	next := now.Add(20 * time.Minute) // the image is an hour old: the 80-minute point
	tests := []struct {
		name     string
		img      appstream.Image
		bySource map[string][]string
		want     sweep.Item
	}{
		{"an encrypted image is not asked, and is refused at each step", encrypted, nil, sweep.Item{ImageID: "imgc-a", Action: sweep.Refuse, Code: sweep.CodeNotSupported,
			Task:     task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen"),
			Reason:   "the image's volumes are encrypted (VolumeEncryptionEnabled), and the API does not distribute such an image",
			Attempts: []sweep.Attempt{{Region: "cn-hangzhou", State: sweep.Missing, Due: true, Next: next}, {Region: "cn-shenzhen", State: sweep.Missing, Due: true, Next: next}}}},
		{"a region holding another version is asked, and says so", other, nil, sweep.Item{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou"),
			Attempts: []sweep.Attempt{{Region: "cn-hangzhou", State: sweep.Missing, OtherVersion: true, Due: true, Next: next}}}},
		{"an old copy failing for good: due at its daily step, a person's", old(image("imgc-a", cp("cn-hangzhou", "CREATE_FAILED", "10%"), cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))), nil,
			sweep.Item{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou"),
				Attempts: []sweep.Attempt{{Region: "cn-hangzhou", State: sweep.Failed, Due: true, Step: true, PastBound: true, Next: now.Add(24*time.Hour - time.Minute)}}}},
		{"an old image's missing region waits for its step", created(old(image("imgc-a", cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))), -3*24*time.Hour-10*time.Minute), nil,
			sweep.Item{ImageID: "imgc-a", Action: sweep.Backoff, Task: task("imgc-a", "cn-hangzhou", "cn-beijing", "cn-shenzhen"),
				Reason:   "no region that needs a copy is due on this tick: failed, refused or missing past its first two hours, each is asked for again on a backoff schedule; the next at 2026-11-30T11:50:00Z",
				Attempts: []sweep.Attempt{{Region: "cn-hangzhou", State: sweep.Missing, Next: now.Add(24*time.Hour - 10*time.Minute)}}}},
		{"changed lately (GmtModified): fresh again", modified(old(image("imgc-a", cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%"))), -30*time.Minute), nil,
			sweep.Item{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-hangzhou"),
				Attempts: []sweep.Attempt{{Region: "cn-hangzhou", State: sweep.Missing, Due: true, Step: true, Next: now.Add(24*time.Hour - time.Minute)}}}},

		// Item 6: the home region as the listing shows it.
		{"home is the listed region without a distribution entry", listing(image("imgc-a", cp("cn-hangzhou", "AVAILABLE", "100%")), "cn-shanghai", "cn-hangzhou"), bySource,
			sweep.Item{ImageID: "imgc-a", Action: sweep.Start, Task: task("imgc-a", "cn-shenzhen"),
				Attempts: []sweep.Attempt{{Region: "cn-shenzhen", State: sweep.Missing, Due: true, Next: next}}}},
		{"home cannot be told: skipped, not copied to the defaults", listing(image("imgc-a", cp("cn-shanghai", "AVAILABLE", "100%"), cp("cn-hangzhou", "AVAILABLE", "100%")), "cn-shanghai", "cn-hangzhou"), bySource,
			sweep.Item{ImageID: "imgc-a", Action: sweep.SourceUnknown, Code: sweep.CodeSourceUnknown, Task: sourced("", "imgc-a"),
				Reason: "the listing does not tell which region the image was built in (ImageRegionList: [cn-shanghai cn-hangzhou]), so DESTINATION_REGIONS_BY_SOURCE cannot apply; the image is skipped rather than copied to the default regions: name its sourceRegion in the timer payload"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := settings(byName)
			s.Plan.Regions.BySource = tc.bySource
			got := sweep.Reconcile([]appstream.Image{tc.img}, nil, s, now)
			if diff := cmp.Diff([]sweep.Item{tc.want}, got, cmpopts.IgnoreFields(sweep.Item{}, "Coverage", "Listed"), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Reconcile() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func modified(img appstream.Image, ago time.Duration) appstream.Image {
	img.Modified = now.Add(ago)
	return img
}
