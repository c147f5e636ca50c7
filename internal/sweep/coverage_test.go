package sweep_test

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// TestCoverage: where one listed image is against where the planner wants
// it, for every state a region and the image itself can be in. The image
// is named, as a status query names it, so it is covered whatever the
// selection.
func TestCoverage(t *testing.T) {
	d := func(region string, st sweep.State, progress ...string) sweep.Destination {
		out := sweep.Destination{Region: region, State: st}
		if len(progress) > 0 {
			out.Progress = progress[0]
		}
		return out
	}
	done3 := []appstream.Copy{cp("cn-hangzhou", "AVAILABLE", "100%"), cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%")}
	coverage := func(v sweep.Verdict, ds ...sweep.Destination) sweep.Coverage {
		return sweep.Coverage{Status: "AVAILABLE", VersionID: "iv-2", ProductType: "CloudApp", SourceRegion: "cn-shanghai", Destinations: ds, Verdict: v}
	}
	desktop := image("imgc-a")
	desktop.ProductType = "CloudDesktop"
	noProduct := image("imgc-a", done3...)
	noProduct.ProductType = ""
	tests := []struct {
		name  string
		img   appstream.Image
		named trigger.Image
		sel   config.Sweep
		want  sweep.Coverage
	}{
		{"complete", image("imgc-a", done3...), trigger.Image{}, config.Sweep{},
			coverage(sweep.VerdictComplete, d("cn-hangzhou", sweep.Done), d("cn-beijing", sweep.Done), d("cn-shenzhen", sweep.Done))},
		{"copying, with the API's progress", image("imgc-a", done3[0], cp("cn-beijing", "CREATING", "40%"), cp("cn-shenzhen", "INIT", "0%")), trigger.Image{}, config.Sweep{},
			coverage(sweep.VerdictInProgress, d("cn-hangzhou", sweep.Done), d("cn-beijing", sweep.Copying, "40%"), d("cn-shenzhen", sweep.Copying, "0%"))},
		{"a failed copy", image("imgc-a", done3[0], cp("cn-beijing", "CREATE_FAILED", "40%"), done3[2]), trigger.Image{}, config.Sweep{},
			coverage(sweep.VerdictIncomplete, d("cn-hangzhou", sweep.Done), d("cn-beijing", sweep.Failed), d("cn-shenzhen", sweep.Done))},
		{"a missing region", image("imgc-a", done3[0], done3[1]), trigger.Image{}, config.Sweep{},
			coverage(sweep.VerdictIncomplete, d("cn-hangzhou", sweep.Done), d("cn-beijing", sweep.Done), d("cn-shenzhen", sweep.Missing))},
		{"missing outweighs copying", image("imgc-a", cp("cn-hangzhou", "CREATING", "90%")), trigger.Image{}, config.Sweep{},
			coverage(sweep.VerdictIncomplete, d("cn-hangzhou", sweep.Copying, "90%"), d("cn-beijing", sweep.Missing), d("cn-shenzhen", sweep.Missing))},
		{"the image is being built", withStatus(image("imgc-a"), "CREATING"), trigger.Image{}, config.Sweep{},
			sweep.Coverage{Status: "CREATING", VersionID: "iv-2", ProductType: "CloudApp", SourceRegion: "cn-shanghai", Verdict: sweep.VerdictInProgress,
				Destinations: []sweep.Destination{d("cn-hangzhou", sweep.Missing), d("cn-beijing", sweep.Missing), d("cn-shenzhen", sweep.Missing)}}},
		{"the image failed to build", withStatus(image("imgc-a", done3...), "CREATE_FAILED"), trigger.Image{}, config.Sweep{},
			sweep.Coverage{Status: "CREATE_FAILED", VersionID: "iv-2", ProductType: "CloudApp", SourceRegion: "cn-shanghai", Verdict: sweep.VerdictIncomplete,
				Destinations: []sweep.Destination{d("cn-hangzhou", sweep.Done), d("cn-beijing", sweep.Done), d("cn-shenzhen", sweep.Done)}}},
		{"too young for the sweep, covered all the same", young(image("imgc-a", done3...)), trigger.Image{}, config.Sweep{MinAge: time.Hour},
			coverage(sweep.VerdictComplete, d("cn-hangzhou", sweep.Done), d("cn-beijing", sweep.Done), d("cn-shenzhen", sweep.Done))},
		{"the version asked for decides", image("imgc-a", done3...), trigger.Image{VersionID: "iv-1"}, config.Sweep{},
			sweep.Coverage{Status: "AVAILABLE", VersionID: "iv-1", ProductType: "CloudApp", SourceRegion: "cn-shanghai", Verdict: sweep.VerdictIncomplete,
				Destinations: []sweep.Destination{d("cn-hangzhou", sweep.Missing), d("cn-beijing", sweep.Missing), d("cn-shenzhen", sweep.Missing)}}},
		{"the regions asked for", image("imgc-a", done3[0]), trigger.Image{Destinations: []string{"cn-hangzhou"}}, config.Sweep{},
			coverage(sweep.VerdictComplete, d("cn-hangzhou", sweep.Done))},
		{"a region asked for that is not allowed", image("imgc-a"), trigger.Image{Destinations: []string{"us-west-1"}}, config.Sweep{},
			coverage(sweep.VerdictIncomplete)},
		{"the only destination is the source", image("imgc-a"), trigger.Image{Destinations: []string{"cn-shanghai"}}, config.Sweep{},
			coverage(sweep.VerdictComplete)},
		{"the product's own regions", desktop, trigger.Image{}, config.Sweep{},
			sweep.Coverage{Status: "AVAILABLE", VersionID: "iv-2", ProductType: "CloudDesktop", SourceRegion: "cn-shanghai", Verdict: sweep.VerdictIncomplete,
				Destinations: []sweep.Destination{d("ap-southeast-1", sweep.Missing)}}},
		{"no product listed: PRODUCT_TYPE", noProduct, trigger.Image{}, config.Sweep{},
			coverage(sweep.VerdictComplete, d("cn-hangzhou", sweep.Done), d("cn-beijing", sweep.Done), d("cn-shenzhen", sweep.Done))},
		{"several listed regions hold it: no known source, each one covered", listing(image("imgc-a", cp("cn-shanghai", "AVAILABLE", "100%"), done3[0]), "cn-shanghai", "cn-hangzhou"),
			trigger.Image{Destinations: []string{"cn-shanghai", "cn-hangzhou", "cn-beijing"}}, config.Sweep{},
			sweep.Coverage{Status: "AVAILABLE", VersionID: "iv-2", ProductType: "CloudApp", Verdict: sweep.VerdictIncomplete,
				Destinations: []sweep.Destination{d("cn-shanghai", sweep.Done), d("cn-hangzhou", sweep.Done), d("cn-beijing", sweep.Missing)}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := settings(tc.sel)
			s.Plan.Regions.ByProduct = map[string][]string{"CloudDesktop": {"ap-southeast-1"}}
			s.Plan.Regions.Allowed = append(s.Plan.Regions.Allowed, "ap-southeast-1", "cn-shanghai")
			slices.Sort(s.Plan.Regions.Allowed)
			tc.named.ImageID = tc.img.ImageID
			items := sweep.Reconcile([]appstream.Image{tc.img}, []trigger.Image{tc.named}, s, now)
			if len(items) != 1 {
				t.Fatalf("Reconcile() = %d items, want 1", len(items))
			}
			if diff := cmp.Diff(tc.want, items[0].Coverage); diff != "" {
				t.Errorf("Coverage mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
