package appstreamtest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// TestRepeatedReadings: the pessimistic reading refuses a whole call for
// one held region; the optimistic one starts the rest, and refuses only
// a call whose every region is held.
func TestRepeatedReadings(t *testing.T) {
	tests := []struct {
		name    string
		reading appstreamtest.Repeated
		regions []string
		status  int
		copies  []string // imgc-1's copies afterwards
	}{
		{"pessimistic, one held", appstreamtest.RepeatedPessimistic, []string{"cn-hangzhou", "cn-beijing"}, 400, []string{"cn-beijing"}},
		{"pessimistic, home region", appstreamtest.RepeatedPessimistic, []string{"cn-hangzhou", "cn-shanghai"}, 400, []string{"cn-beijing"}},
		{"pessimistic, none held", appstreamtest.RepeatedPessimistic, []string{"cn-hangzhou"}, 200, []string{"cn-beijing", "cn-hangzhou"}},
		{"optimistic, one held", appstreamtest.RepeatedOptimistic, []string{"cn-hangzhou", "cn-beijing"}, 200, []string{"cn-beijing", "cn-hangzhou"}},
		{"optimistic, home region", appstreamtest.RepeatedOptimistic, []string{"cn-shanghai", "cn-hangzhou"}, 200, []string{"cn-beijing", "cn-hangzhou"}},
		{"optimistic, all held", appstreamtest.RepeatedOptimistic, []string{"cn-shanghai", "cn-beijing"}, 400, []string{"cn-beijing"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			s.AddImage(appstreamtest.Image{ImageID: "imgc-1", HomeRegion: "cn-shanghai"})
			s.MarkDistributed("imgc-1", "cn-beijing")
			s.SetRepeated(tc.reading)
			got := callSDK(t, s, testCred, nil, "imgc-1", tc.regions...)
			if got.status != tc.status || (tc.status == 400 && got.code != "ImageDistribute.RepeatedDistribution") {
				t.Errorf("distribute = %+v, want %d", got, tc.status)
			}
			if diff := cmp.Diff(tc.copies, s.Distributed("imgc-1")); diff != "" {
				t.Errorf("copies (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInvariantHelpers: what a soak test checks a client's reports against.
func TestInvariantHelpers(t *testing.T) {
	s := newServer(t)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1", HomeRegion: "cn-shanghai"})
	s.MarkDistributed("imgc-2", "cn-shenzhen")
	first := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing")
	s.InjectFaults(only(distribute, appstreamtest.FaultLostReply))
	lost := callSDK(t, s, testCred, nil, "imgc-3", "cn-hangzhou")
	if first.status != 200 || lost.err == nil {
		t.Fatalf("answers = %+v, %+v, want a task, then a reset", first, lost)
	}
	calls := s.Calls()
	want := []string{first.taskID, calls[1].TaskID}
	if diff := cmp.Diff(want, s.IssuedTaskIDs()); diff != "" || calls[1].TaskID == "" {
		t.Errorf("IssuedTaskIDs() (-want +got):\n%s", diff)
	}
	for _, h := range []struct {
		image, region string
		want          bool
	}{
		{"imgc-1", "cn-shanghai", true}, {"imgc-1", "cn-beijing", true}, {"imgc-1", "cn-hangzhou", false},
		{"imgc-2", "cn-shenzhen", true}, {"imgc-3", "cn-hangzhou", true}, {"imgc-4", "cn-hangzhou", false},
	} {
		if got := s.Holds(h.image, h.region); got != h.want {
			t.Errorf("Holds(%s, %s) = %v, want %v", h.image, h.region, got, h.want)
		}
	}
	wantCopies := map[string][]string{"imgc-1": {"cn-beijing"}, "imgc-2": {"cn-shenzhen"}, "imgc-3": {"cn-hangzhou"}}
	if diff := cmp.Diff(wantCopies, s.Copies(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Copies() (-want +got):\n%s", diff)
	}
}
