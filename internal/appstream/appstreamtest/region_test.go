package appstreamtest_test

import (
	"strings"
	"testing"
)

// TestUnknownRegionRefused: a call naming a region no document lists is
// refused whole, with the gateway's InvalidParameter, and starts no copy
// (issue 18: a typo such as cn-hangzou used to be "started").
func TestUnknownRegionRefused(t *testing.T) {
	s := newServer(t)
	got := distributeTo(t, s, "imgc-typo1", "cn-hangzou", "cn-beijing")
	if got.status != 400 || !strings.Contains(got.body, `"Code":"InvalidParameter"`) {
		t.Fatalf("distribute to cn-hangzou = %d %s, want 400 InvalidParameter", got.status, got.body)
	}
	if d := s.Distributed("imgc-typo1"); len(d) != 0 {
		t.Errorf("Distributed = %q after a refused call, want none", d)
	}
	if ok := distributeTo(t, s, "imgc-typo1", "cn-hangzhou", "cn-beijing"); ok.status != 200 {
		t.Errorf("distribute to known regions = %d %s, want 200", ok.status, ok.body)
	}
}
