package handler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// fakeAPI is an in-memory API; answer decides each distribute call's
// outcome and images is the catalogue ListPage pages through.
type fakeAPI struct {
	calls     atomic.Int32
	listCalls atomic.Int32
	answer    func(n int32, d appstream.Distribution) (appstream.Started, error)
	images    []appstream.Image
	listErr   error
	listStall bool // ListPage answers only when its context ends
}

func (f *fakeAPI) ListPage(ctx context.Context, _ config.Credentials, flt appstream.ImageFilter, page, size int) (appstream.Page, error) {
	f.listCalls.Add(1)
	if f.listStall {
		<-ctx.Done()
		return appstream.Page{}, &appstream.Error{Code: appstream.CodeTimeout, Class: appstream.Retryable}
	}
	if f.listErr != nil {
		return appstream.Page{}, f.listErr
	}
	images := f.images
	if flt.ImageID != "" { // as the API filters on ImageId
		images = nil
		for _, img := range f.images {
			if img.ImageID == flt.ImageID {
				images = append(images, img)
			}
		}
	}
	lo, hi := min((page-1)*size, len(images)), min(page*size, len(images))
	return appstream.Page{Images: images[lo:hi], Total: len(images)}, nil
}

func (f *fakeAPI) Distribute(ctx context.Context, _ config.Credentials, d appstream.Distribution) (appstream.Started, error) {
	n := f.calls.Add(1)
	return f.answer(n, d)
}

func ok(n int32, _ appstream.Distribution) (appstream.Started, error) {
	return appstream.Started{TaskID: fmt.Sprintf("tid-%d", n), RequestID: "R"}, nil
}

func apiErr(code string) error {
	return fmt.Errorf("distribute: %w", &appstream.Error{Code: code, Class: appstream.Classify(code, 400)})
}

func newTestHandler(t *testing.T, api *fakeAPI, env map[string]string) (*Handler, *bytes.Buffer) {
	t.Helper()
	base := map[string]string{"DESTINATION_REGIONS": "cn-hangzhou,cn-beijing", "API_QPS": "100",
		"ALIBABA_CLOUD_ACCESS_KEY_ID": "id", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "secret"}
	for k, v := range env {
		base[k] = v
	}
	cfg, err := config.Load(func(k string) string { return base[k] })
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	h := New(cfg, api, zerolog.New(&syncWriter{w: &logs}))
	h.backoff = backoff{Base: time.Millisecond, Max: 5 * time.Millisecond, MinCall: time.Millisecond}
	return h, &logs
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

const event = `{"specversion":"1.0","id":"e1","source":"s","type":"t","data":{"imageId":"imgc-abc","regionId":"cn-shanghai"}}`

func TestHandleOutcomes(t *testing.T) {
	cases := []struct {
		name       string
		env        map[string]string
		answer     func(int32, appstream.Distribution) (appstream.Started, error)
		wantStatus Status
		wantCalls  int32
		wantErr    string // error type name, "" for success
	}{
		{"started", nil, ok, StatusStarted, 1, ""},
		{"already distributed in one region", map[string]string{"DESTINATION_REGIONS": "cn-hangzhou"}, func(int32, appstream.Distribution) (appstream.Started, error) {
			return appstream.Started{}, apiErr("ImageDistribute.RepeatedDistribution")
		}, StatusAlready, 1, ""},
		// RepeatedDistribution for two regions may mean only one has a copy,
		// so each is asked on its own: one call, then one per region.
		{"already distributed in both regions", nil, func(int32, appstream.Distribution) (appstream.Started, error) {
			return appstream.Started{}, apiErr("ImageDistribute.RepeatedDistribution")
		}, StatusAlready, 3, ""},
		{"throttled twice then started", nil, func(n int32, d appstream.Distribution) (appstream.Started, error) {
			if n < 3 {
				return appstream.Started{}, apiErr("Throttling.User")
			}
			return ok(n, d)
		}, StatusStarted, 3, ""},
		{"throttled past MAX_ATTEMPTS", map[string]string{"MAX_ATTEMPTS": "3"}, func(int32, appstream.Distribution) (appstream.Started, error) {
			return appstream.Started{}, apiErr("Throttling")
		}, StatusFailed, 3, "RetryableFailure"},
		{"permanent is not retried", nil, func(int32, appstream.Distribution) (appstream.Started, error) {
			return appstream.Started{}, apiErr("Image.NotExist")
		}, StatusFailed, 1, ""},
		{"deferred is not retried now", nil, func(int32, appstream.Distribution) (appstream.Started, error) {
			return appstream.Started{}, apiErr("ImageCreateByInstance.TaskExist")
		}, StatusDeferred, 1, "RetryableFailure"},
		{"non-API error is permanent", nil, func(int32, appstream.Distribution) (appstream.Started, error) {
			return appstream.Started{}, errors.New("boom")
		}, StatusFailed, 1, ""},
		{"dry run calls nothing", map[string]string{"DRY_RUN": "true"}, ok, StatusDryRun, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := &fakeAPI{answer: tc.answer}
			h, logs := newTestHandler(t, api, tc.env)
			out, err := h.Handle(context.Background(), []byte(event))
			if got := typeName(err); got != tc.wantErr {
				t.Fatalf("Handle() error = %v (%s), want %q", err, got, tc.wantErr)
			}
			if n := api.calls.Load(); n != tc.wantCalls {
				t.Errorf("API calls = %d, want %d", n, tc.wantCalls)
			}
			if !strings.Contains(logs.String(), `"status":"`+string(tc.wantStatus)+`"`) {
				t.Errorf("logs lack status %s:\n%s", tc.wantStatus, logs)
			}
			if err == nil {
				if r := out.(Result); len(r.Results) != 1 || r.Results[0].Status != tc.wantStatus {
					t.Errorf("Handle() = %+v, want one %s result", r, tc.wantStatus)
				}
			}
		})
	}
}

func typeName(err error) string {
	var rf *RetryableFailure
	switch {
	case err == nil:
		return ""
	case errors.As(err, &rf):
		return "RetryableFailure"
	}
	return fmt.Sprintf("%T", err)
}

// The retry loop must stop when the next wait would overrun the deadline,
// however many attempts remain.
func TestRetryStopsAtDeadline(t *testing.T) {
	api := &fakeAPI{answer: func(int32, appstream.Distribution) (appstream.Started, error) {
		return appstream.Started{}, apiErr("ServiceUnavailable")
	}}
	h, _ := newTestHandler(t, api, map[string]string{"MAX_ATTEMPTS": "10"})
	h.backoff = backoff{Base: 100 * time.Millisecond, Max: time.Second, MinCall: 100 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 900*time.Millisecond)
	defer cancel()
	_, err := h.Handle(ctx, []byte(event))
	if typeName(err) != "RetryableFailure" {
		t.Fatalf("Handle() error = %v, want RetryableFailure", err)
	}
	if dl, _ := ctx.Deadline(); time.Now().After(dl) {
		t.Error("Handle returned after the invocation deadline")
	}
	if n := api.calls.Load(); n >= 10 {
		t.Errorf("API calls = %d, want fewer than MAX_ATTEMPTS: the deadline should end the retries", n)
	}
}

func TestFailureIsNotRemembered(t *testing.T) {
	api := &fakeAPI{answer: func(n int32, d appstream.Distribution) (appstream.Started, error) {
		if n == 1 {
			return appstream.Started{}, apiErr("Image.NotExist")
		}
		return ok(n, d)
	}}
	h, _ := newTestHandler(t, api, nil)
	h.Handle(context.Background(), []byte(event))
	out, err := h.Handle(context.Background(), []byte(event))
	if err != nil || out.(Result).Results[0].Status != StatusStarted {
		t.Errorf("second delivery = %+v, %v; want started: a failure must not be cached", out, err)
	}
}

func TestMalformedItemsFailAfterValidOnesRun(t *testing.T) {
	api := &fakeAPI{answer: ok}
	h, _ := newTestHandler(t, api, nil)
	batch := `[` + event + `,{"specversion":"1.0","id":"bad","source":"s","type":"t","data":{"imageId":"m-not-centralized"}}]`
	_, err := h.Handle(context.Background(), []byte(batch))
	var ie *trigger.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("Handle() error = %v, want *trigger.InputError so the event reaches the on-failure destination", err)
	}
	if n := api.calls.Load(); n != 1 {
		t.Errorf("API calls = %d, want 1: the valid image still goes out", n)
	}
}

// A throttling storm cannot multiply calls: each image gets at most
// MAX_ATTEMPTS calls, whatever the API answers.
func TestThrottlingStormIsBounded(t *testing.T) {
	api := &fakeAPI{answer: func(int32, appstream.Distribution) (appstream.Started, error) {
		return appstream.Started{}, apiErr("Throttling.User")
	}}
	h, _ := newTestHandler(t, api, map[string]string{"MAX_ATTEMPTS": "4"})
	var events []string
	for i := range 25 {
		events = append(events, fmt.Sprintf(`{"specversion":"1.0","id":"%d","source":"s","type":"t","data":{"imageId":"imgc-%d"}}`, i, i))
	}
	_, err := h.Handle(context.Background(), []byte("["+strings.Join(events, ",")+"]"))
	if typeName(err) != "RetryableFailure" {
		t.Fatalf("Handle() error = %v, want RetryableFailure", err)
	}
	if n := api.calls.Load(); n != 25*4 {
		t.Errorf("API calls = %d, want exactly 25 images × 4 attempts", n)
	}
}
