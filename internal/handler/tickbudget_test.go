package handler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
)

// TestLateRetryOfATickDoesNothing: FC retries a failed timer invocation
// for up to an hour. A retry that arrives when the next tick is due would
// list and start copies beside that tick, from another instance: #16 item 7.
func TestLateRetryOfATickDoesNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		late   time.Duration // how long after its triggerTime the tick runs
		listed bool
	}{
		{"on time", 0, true},
		{"retried within its period", 3 * time.Minute, true},
		{"retried when the next tick is due", 5 * time.Minute, false},
		{"retried at FC's last attempt", 55 * time.Minute, false},
		{"a replay of an old sample", 30 * 24 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := &fakeAPI{answer: ok, images: catalogue(3)}
			h, logs := newTestHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*"})
			h.now = func() time.Time { return tickTime.Add(tc.late) }
			if _, err := h.Handle(context.Background(), []byte(tick)); err != nil {
				t.Fatalf("Handle() error = %v", err)
			}
			if got := api.listCalls.Load() > 0; got != tc.listed {
				t.Errorf("listed = %v (%d ListImage, %d distribute calls), want %v", got, api.listCalls.Load(), api.calls.Load(), tc.listed)
			}
			if superseded := strings.Contains(logs.String(), `"status":"tick-superseded"`); superseded == tc.listed {
				t.Errorf("tick-superseded logged = %v, want %v:\n%s", superseded, !tc.listed, logs)
			}
		})
	}
}

// TestTickEndsBeforeTheNextIsDue: whatever time FC gives the invocation,
// the sweep's calls stop TickMargin before the next tick is due.
func TestTickEndsBeforeTheNextIsDue(t *testing.T) {
	var deadline time.Time
	api := &fakeAPI{answer: func(n int32, d appstream.Distribution) (appstream.Started, error) { return ok(n, d) }, images: catalogue(1)}
	h, _ := newTestHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*"})
	// Four minutes into the tick: one minute less the margin is left.
	h.now = func() time.Time { return tickTime.Add(4 * time.Minute) }
	spy := &deadlineSpy{API: api, deadline: &deadline}
	h.api = spy
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	if _, err := h.Handle(ctx, []byte(tick)); err != nil {
		t.Fatalf("Handle() error = %v", err)
	}
	// The deadline is taken a moment after start; a second of slack for
	// that, against the 9 minutes the invocation's own deadline allows.
	left := deadline.Sub(start)
	if want := time.Minute - 5*time.Second; left <= 0 || left > want+time.Second {
		t.Errorf("the calls' deadline is %v after the start, want about %v (the next tick's due time less the margin)", left, want)
	}
}

// deadlineSpy records the deadline the first ListImage call had.
type deadlineSpy struct {
	API
	deadline *time.Time
}

func (s *deadlineSpy) ListPage(ctx context.Context, c config.Credentials, f appstream.ImageFilter, page, size int) (appstream.Page, error) {
	if dl, ok := ctx.Deadline(); ok && s.deadline.IsZero() {
		*s.deadline = dl
	}
	return s.API.ListPage(ctx, c, f, page, size)
}

// TestPagesPerTickIsTheSameForEveryTick: a tick's page budget, which fixes
// its run of pages and the cycle, must not move with how long the start
// or page 1 took, or a retried tick would list other pages than its own.
func TestPagesPerTickIsTheSameForEveryTick(t *testing.T) {
	h, _ := newTestHandler(t, &fakeAPI{answer: ok}, map[string]string{"API_QPS": "0.1", "MAX_CONCURRENCY": "1"})
	var ks []int
	for _, left := range []time.Duration{239900 * time.Millisecond, 239300 * time.Millisecond, 238600 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), left)
		ks = append(ks, h.pagesPerTick(ctx))
		cancel()
	}
	if ks[0] != ks[1] || ks[1] != ks[2] {
		t.Errorf("pages per tick %v with 239.9 s, 239.3 s and 238.6 s left; want one figure", ks)
	}
}
