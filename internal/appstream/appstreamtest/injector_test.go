package appstreamtest_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// everything faults a share of every action's calls with every fault,
// slow answers kept short.
func everything(seed uint64, rate float64) appstreamtest.Faults {
	return appstreamtest.Faults{Seed: seed, SlowDelay: time.Millisecond, Actions: map[string]appstreamtest.FaultPlan{
		distribute: {Rate: rate}, "ListImage": {Rate: rate}}}
}

// faultsOf returns each call's fault, in call order.
func faultsOf(s *appstreamtest.Server) []appstreamtest.Fault {
	var out []appstreamtest.Fault
	for _, c := range s.Calls() {
		out = append(out, c.Fault)
	}
	return out
}

// TestFaultRateAndWeights: with a fixed seed the share of faulted calls and
// the mix of faults are close to the plan, and the counters match.
func TestFaultRateAndWeights(t *testing.T) {
	s := newServer(t)
	s.InjectFaults(appstreamtest.Faults{Seed: 7, Actions: map[string]appstreamtest.FaultPlan{distribute: {Rate: 0.3,
		Weights: map[appstreamtest.Fault]int{appstreamtest.FaultThrottling: 1, appstreamtest.FaultUnavailable: 3}}}})
	const n = 600
	refused := 0
	for i := range n {
		if got := distributeTo(t, s, fmt.Sprintf("imgc-%d", i), "cn-beijing"); got.status != 200 {
			refused++
		}
	}
	for range 20 {
		if got := sendRaw(t, s, "ListImage", nil, 0); got.status != 200 {
			t.Fatalf("ListImage = %+v, want never faulted: it has no plan", got)
		}
	}
	counts := s.Injected()
	throttled := counts[appstreamtest.Injection{Action: distribute, Fault: appstreamtest.FaultThrottling}]
	unavailable := counts[appstreamtest.Injection{Action: distribute, Fault: appstreamtest.FaultUnavailable}]
	// 4 standard deviations either side of 180.
	if refused < 135 || refused > 225 || throttled+unavailable != refused || len(counts) != 2 {
		t.Errorf("refused %d of %d, Injected() = %v, want about 30%% and every refusal counted", refused, n, counts)
	}
	if share := float64(unavailable) / float64(refused); share < 0.6 || share > 0.9 {
		t.Errorf("unavailable is %.2f of faults, want about 0.75", share)
	}
	faulted := 0
	for _, f := range faultsOf(s) {
		if f != "" {
			faulted++
		}
	}
	if faulted != refused {
		t.Errorf("%d calls carry a fault, want %d", faulted, refused)
	}
}

// TestFaultsAreReproducible: the same seed gives the same faults to the
// same calls, repeats included, whatever order concurrent calls arrive
// in; every fault is reached; another seed gives other faults.
func TestFaultsAreReproducible(t *testing.T) {
	sequential := func(seed uint64) *appstreamtest.Server {
		s := newServer(t)
		s.InjectFaults(everything(seed, 0.5))
		for i := range 240 {
			distributeTo(t, s, fmt.Sprintf("imgc-%d", i%60), "cn-beijing") // each image four times
		}
		return s
	}
	a, b, other := sequential(1), sequential(1), sequential(2)
	if diff := cmp.Diff(faultsOf(a), faultsOf(b)); diff != "" {
		t.Errorf("same seed, other faults (-first +second):\n%s", diff)
	}
	if slices.Equal(faultsOf(a), faultsOf(other)) {
		t.Error("seeds 1 and 2 gave the same faults")
	}
	for _, f := range appstreamtest.AllFaults() {
		if a.Injected()[appstreamtest.Injection{Action: distribute, Fault: f}] == 0 {
			t.Errorf("fault %s never injected in 240 calls", f)
		}
	}

	// Distinct calls, concurrently: each gets the fault it gets alone.
	byImage := func(s *appstreamtest.Server) map[string]appstreamtest.Fault {
		out := map[string]appstreamtest.Fault{}
		for _, c := range waitCalls(t, s, 60) {
			out[c.ImageID] = c.Fault
		}
		return out
	}
	one, many := newServer(t), newServer(t)
	one.InjectFaults(everything(3, 0.5))
	many.InjectFaults(everything(3, 0.5))
	var wg sync.WaitGroup
	for i := range 60 {
		distributeTo(t, one, fmt.Sprintf("imgc-%d", i), "cn-beijing")
		wg.Go(func() { distributeTo(t, many, fmt.Sprintf("imgc-%d", i), "cn-beijing") })
	}
	wg.Wait()
	if diff := cmp.Diff(byImage(one), byImage(many)); diff != "" {
		t.Errorf("faults depend on arrival order (-sequential +concurrent):\n%s", diff)
	}
}

// TestFaultThatCannotApply: a fault that spoils a success leaves an error
// answer alone, and is neither counted nor put on the call.
func TestFaultThatCannotApply(t *testing.T) {
	for _, f := range []appstreamtest.Fault{appstreamtest.FaultTruncated, appstreamtest.FaultNoData} {
		s := newServer(t)
		s.MarkDistributed("imgc-1", "cn-beijing")
		s.InjectFaults(only(distribute, f))
		got := distributeTo(t, s, "imgc-1", "cn-beijing")
		var body struct{ Code string }
		if err := json.Unmarshal([]byte(got.body), &body); err != nil || got.status != 400 || body.Code != "ImageDistribute.RepeatedDistribution" {
			t.Errorf("%s: answer = %+v, want the whole RepeatedDistribution", f, got)
		}
		if n := len(s.Injected()); n != 0 || s.Calls()[0].Fault != "" {
			t.Errorf("%s: Injected() = %v, Call.Fault = %q, want nothing injected", f, s.Injected(), s.Calls()[0].Fault)
		}
	}
}

// TestFaultsPerAction: a plan for ListImage faults ListImage only.
func TestFaultsPerAction(t *testing.T) {
	s := newServer(t)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1"})
	s.InjectFaults(only("ListImage", appstreamtest.FaultNoData))
	var page map[string]json.RawMessage
	got := sendRaw(t, s, "ListImage", nil, 0)
	if err := json.Unmarshal([]byte(got.body), &page); err != nil || page["Data"] != nil || string(page["Count"]) != "1" {
		t.Errorf("ListImage = %+v, want Count 1 and no Data", got)
	}
	if got := distributeTo(t, s, "imgc-1", "cn-beijing"); got.status != 200 {
		t.Errorf("distribute = %+v, want 200: it has no plan", got)
	}
}

// TestInjectConcurrently: under concurrent calls every counted fault is on
// a call, and every task the stand-in issued is held.
func TestInjectConcurrently(t *testing.T) {
	s := newServer(t)
	s.InjectFaults(everything(5, 0.5))
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			for j := range 5 {
				distributeTo(t, s, fmt.Sprintf("imgc-%d", (i*5+j)%40), "cn-beijing", "cn-hangzhou")
			}
		})
	}
	wg.Wait()
	calls := waitCalls(t, s, 160)
	counted := map[appstreamtest.Injection]int{}
	for _, c := range calls {
		if c.Fault != "" {
			counted[appstreamtest.Injection{Action: c.Action, Fault: c.Fault}]++
		}
		if c.TaskID != "" && (!s.Holds(c.ImageID, "cn-beijing") || !s.Holds(c.ImageID, "cn-hangzhou")) {
			t.Errorf("task %s issued for %s, whose copies are not held", c.TaskID, c.ImageID)
		}
	}
	if diff := cmp.Diff(counted, s.Injected()); diff != "" {
		t.Errorf("Injected() differs from the calls' faults (-calls +Injected):\n%s", diff)
	}
}
