package plan_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

var settings = plan.Settings{
	Regions: config.Regions{
		Default:   []string{"cn-hangzhou", "cn-beijing", "cn-shanghai"},
		ByProduct: map[string][]string{"CloudDesktop": {"cn-shenzhen"}},
		BySource:  map[string][]string{"ap-southeast-1": {"ap-northeast-1", "ap-southeast-1"}},
		Allowed:   []string{"ap-northeast-1", "ap-southeast-1", "cn-beijing", "cn-hangzhou", "cn-shanghai", "cn-shenzhen"},
	},
	ProductType: "CloudApp",
}

func img(id, src, event string, dest ...string) trigger.Image {
	return trigger.Image{ImageID: id, SourceRegion: src, EventID: event, Destinations: dest}
}

func task(id, product, src string, regions []string, events ...string) plan.Task {
	return plan.Task{ImageID: id, ProductType: product, SourceRegion: src, Regions: regions, EventIDs: events}
}

func TestMake(t *testing.T) {
	desktop := img("imgc-d", "cn-shanghai", "e1")
	desktop.ProductType = "CloudDesktop"
	desktopFromAP := desktop
	desktopFromAP.SourceRegion = "ap-southeast-1"
	versioned := img("imgc-a", "cn-shanghai", "e2")
	versioned.VersionID = "iv-2"

	tests := []struct {
		name   string
		images []trigger.Image
		max    int
		want   plan.Plan
	}{
		{"nothing to plan", nil, 0, plan.Plan{}},
		{"default regions minus the source", []trigger.Image{img("imgc-a", "cn-shanghai", "e1")}, 0,
			plan.Plan{Tasks: []plan.Task{task("imgc-a", "CloudApp", "cn-shanghai", []string{"cn-hangzhou", "cn-beijing"}, "e1")}}},
		{"default regions without a source", []trigger.Image{img("imgc-a", "", "e1")}, 0,
			plan.Plan{Tasks: []plan.Task{task("imgc-a", "CloudApp", "", []string{"cn-hangzhou", "cn-beijing", "cn-shanghai"}, "e1")}}},
		{"product override", []trigger.Image{desktop}, 0,
			plan.Plan{Tasks: []plan.Task{task("imgc-d", "CloudDesktop", "cn-shanghai", []string{"cn-shenzhen"}, "e1")}}},
		{"source override beats product override", []trigger.Image{desktopFromAP}, 0,
			plan.Plan{Tasks: []plan.Task{task("imgc-d", "CloudDesktop", "ap-southeast-1", []string{"ap-northeast-1"}, "e1")}}},
		{"explicit regions win", []trigger.Image{img("imgc-a", "ap-southeast-1", "e1", "cn-shenzhen")}, 0,
			plan.Plan{Tasks: []plan.Task{task("imgc-a", "CloudApp", "ap-southeast-1", []string{"cn-shenzhen"}, "e1")}}},
		{"explicit region not allowed", []trigger.Image{img("imgc-a", "cn-shanghai", "e1", "cn-beijing", "us-west-1")}, 0,
			plan.Plan{Problems: []plan.Problem{{Image: img("imgc-a", "cn-shanghai", "e1", "cn-beijing", "us-west-1"), Code: "RegionNotAllowed", Region: "us-west-1"}}}},
		{"explicit source region dropped", []trigger.Image{img("imgc-a", "cn-shanghai", "e1", "cn-shanghai", "cn-beijing")}, 0,
			plan.Plan{Tasks: []plan.Task{task("imgc-a", "CloudApp", "cn-shanghai", []string{"cn-beijing"}, "e1")}}},
		{"duplicate regions removed in order", []trigger.Image{img("imgc-a", "", "e1", "cn-beijing", "cn-hangzhou", "cn-beijing")}, 0,
			plan.Plan{Tasks: []plan.Task{task("imgc-a", "CloudApp", "", []string{"cn-beijing", "cn-hangzhou"}, "e1")}}},
		{"identical images collapse", []trigger.Image{img("imgc-a", "cn-shanghai", "e1"), img("imgc-b", "cn-shanghai", "e2"),
			img("imgc-a", "cn-shanghai", "e3"), img("imgc-a", "cn-shanghai", "e1")}, 0,
			plan.Plan{Tasks: []plan.Task{
				task("imgc-a", "CloudApp", "cn-shanghai", []string{"cn-hangzhou", "cn-beijing"}, "e1", "e3"),
				task("imgc-b", "CloudApp", "cn-shanghai", []string{"cn-hangzhou", "cn-beijing"}, "e2")}}},
		{"other version is another task", []trigger.Image{img("imgc-a", "cn-shanghai", "e1"), versioned}, 0,
			plan.Plan{Tasks: []plan.Task{
				task("imgc-a", "CloudApp", "cn-shanghai", []string{"cn-hangzhou", "cn-beijing"}, "e1"),
				{ImageID: "imgc-a", VersionID: "iv-2", ProductType: "CloudApp", SourceRegion: "cn-shanghai",
					Regions: []string{"cn-hangzhou", "cn-beijing"}, EventIDs: []string{"e2"}}}}},
		{"other destinations are another task", []trigger.Image{img("imgc-a", "", "e1"), img("imgc-a", "", "e2", "cn-beijing")}, 0,
			plan.Plan{Tasks: []plan.Task{
				task("imgc-a", "CloudApp", "", []string{"cn-hangzhou", "cn-beijing", "cn-shanghai"}, "e1"),
				task("imgc-a", "CloudApp", "", []string{"cn-beijing"}, "e2")}}},
		{"only the source region", []trigger.Image{img("imgc-a", "cn-beijing", "e1", "cn-beijing")}, 0,
			plan.Plan{Skipped: []trigger.Skip{{EventID: "e1"}}}},
		{"no event ID", []trigger.Image{img("imgc-a", "cn-shanghai", "")}, 0,
			plan.Plan{Tasks: []plan.Task{task("imgc-a", "CloudApp", "cn-shanghai", []string{"cn-hangzhou", "cn-beijing"})}}},
		{"cap on images", []trigger.Image{img("imgc-a", "", "e1"), img("imgc-a", "", "e2"), img("imgc-b", "", "e3"), img("imgc-c", "", "e4")}, 1,
			plan.Plan{
				Tasks: []plan.Task{task("imgc-a", "CloudApp", "", []string{"cn-hangzhou", "cn-beijing", "cn-shanghai"}, "e1", "e2")},
				Problems: []plan.Problem{{Image: img("imgc-b", "", "e3"), Code: "TooManyImages"},
					{Image: img("imgc-c", "", "e4"), Code: "TooManyImages"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := settings
			s.MaxImages = tc.max
			got := plan.Make(tc.images, s)
			// Messages are for people; their content is checked below.
			opts := cmp.Options{cmpopts.IgnoreFields(plan.Problem{}, "Message"), cmpopts.IgnoreFields(trigger.Skip{}, "Reason")}
			if diff := cmp.Diff(tc.want, got, opts); diff != "" {
				t.Errorf("Make(%v) mismatch (-want +got):\n%s", tc.images, diff)
			}
		})
	}
}

func TestMakeMessages(t *testing.T) {
	tests := []struct {
		name   string
		images []trigger.Image
		max    int
		wants  []string
	}{
		{"not allowed names region and variable", []trigger.Image{img("imgc-a", "", "e1", "us-west-1")}, 0,
			[]string{"us-west-1", config.EnvAllowedRegions}},
		{"too many names cap and variable", []trigger.Image{img("imgc-a", "", "e1"), img("imgc-b", "", "e2")}, 1,
			[]string{"1", config.EnvMaxImages}},
		{"skip names image and source", []trigger.Image{img("imgc-a", "cn-beijing", "e1", "cn-beijing")}, 0,
			[]string{"imgc-a", "cn-beijing"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := settings
			s.MaxImages = tc.max
			p := plan.Make(tc.images, s)
			var msg string
			for _, pr := range p.Problems {
				msg += pr.Message
			}
			for _, sk := range p.Skipped {
				msg += sk.Reason
			}
			for _, w := range tc.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("Make(%v) messages = %q, want %q in them", tc.images, msg, w)
				}
			}
		})
	}
}

func TestMakeKeepsRequestProductType(t *testing.T) {
	in := img("imgc-a", "cn-shanghai", "e1")
	in.ProductType = "WuyingServer"
	got := plan.Make([]trigger.Image{in}, settings)
	if len(got.Tasks) != 1 || got.Tasks[0].ProductType != "WuyingServer" {
		t.Errorf("Make(WuyingServer image).Tasks = %+v, want one WuyingServer task", got.Tasks)
	}
}

func TestMakeDoesNotAliasSettings(t *testing.T) {
	s := settings
	s.Regions.Default = []string{"cn-hangzhou", "cn-beijing"}
	p := plan.Make([]trigger.Image{img("imgc-a", "", "e1")}, s)
	p.Tasks[0].Regions[0] = "changed"
	if s.Regions.Default[0] != "cn-hangzhou" {
		t.Errorf("changing a task's regions changed the settings to %v", s.Regions.Default)
	}
}
