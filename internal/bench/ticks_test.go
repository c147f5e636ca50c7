package bench_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// startManaged starts the function with SWEEP_CREATED_AFTER an hour ago
// and no other selector, at production log level, against a stand-in that
// answers after callLatency and holds n images created since then, each
// already in every default destination region. It returns the sandbox and
// the SWEEP_CREATED_AFTER instant.
func startManaged(b *testing.B, fn string, n int, env map[string]string) (*sandbox.Sandbox, time.Time) {
	b.Helper()
	deployed := time.Now().Add(-time.Hour).UTC()
	opts := sandbox.Options{Binary: fn, Timeout: time.Minute, Env: map[string]string{
		"LOG_LEVEL": "info", "SWEEP_CREATED_AFTER": deployed.Format(time.RFC3339)}}
	for k, v := range env {
		opts.Env[k] = v
	}
	sb, err := sandbox.Start(opts)
	if err != nil {
		b.Fatal(err)
	}
	regions := []string{"cn-hangzhou", "cn-beijing", "ap-southeast-1"}
	for i := range n {
		id := fmt.Sprintf("imgc-managed%04d", i)
		sb.API.AddImage(appstreamtest.Image{ImageID: id, ImageName: "managed-" + id, ProductType: "CloudApp",
			HomeRegion: "cn-shanghai", Created: deployed.Add(time.Minute)})
		sb.API.MarkDistributed(id, regions...)
	}
	sb.API.SetLatency(callLatency)
	return sb, deployed
}

// tickLog is what tickEvery saw: when each tick began and its billed
// duration (the emulator's /next to answer).
type tickLog struct {
	starts []time.Time
	billed []time.Duration
	err    error
}

// tickEvery invokes the timer count times, at t0 and every tickPeriod
// after, one tick after another as on one FC instance, and sends the log
// once the last tick has answered.
func tickEvery(sb *sandbox.Sandbox, t0 time.Time, count int) <-chan tickLog {
	out := make(chan tickLog, 1)
	go func() {
		var l tickLog
		for k := range count {
			time.Sleep(time.Until(t0.Add(time.Duration(k) * tickPeriod)))
			start := time.Now()
			res, err := sb.Invoke(context.Background(), []byte(emptyTick))
			if err == nil && res.Error != nil {
				err = fmt.Errorf("%s: %s", res.Error.ErrorType, res.Error.ErrorMessage)
			}
			if err != nil {
				l.err = fmt.Errorf("tick %d: %w", k, err)
				break
			}
			l.starts, l.billed = append(l.starts, start), append(l.billed, res.Duration)
		}
		out <- l
	}()
	return out
}

// sample is one image's way from AVAILABLE to its copy's start call.
type sample struct {
	ticks  int           // ticks that began after AVAILABLE, up to the call
	inTick time.Duration // from the start of the tick that made the call
	wait   time.Duration // from AVAILABLE
}

// sampleOf reads a sample from when the image turned AVAILABLE, when its
// start call reached the API, and the ticks' start times, in order.
func sampleOf(available, call time.Time, starts []time.Time) sample {
	s := sample{wait: call.Sub(available)}
	for _, t := range starts {
		if t.After(call) {
			break
		}
		s.inTick = call.Sub(t)
		if t.After(available) {
			s.ticks++
		}
	}
	return s
}

func TestSampleOf(t *testing.T) {
	t0 := time.Unix(1000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	starts := []time.Time{at(0), at(3000), at(6000)}
	for _, tc := range []struct {
		name            string
		available, call time.Time
		want            sample
	}{
		{"next tick", at(1000), at(3250), sample{ticks: 1, inTick: 250 * time.Millisecond, wait: 2250 * time.Millisecond}},
		{"tick in flight", at(100), at(300), sample{ticks: 0, inTick: 300 * time.Millisecond, wait: 200 * time.Millisecond}},
		{"a tick missed it", at(1000), at(6100), sample{ticks: 2, inTick: 100 * time.Millisecond, wait: 5100 * time.Millisecond}},
	} {
		if got := sampleOf(tc.available, tc.call, starts); got != tc.want {
			t.Errorf("%s: sampleOf(%v, %v) = %+v, want %+v", tc.name, tc.available, tc.call, got, tc.want)
		}
	}
}
