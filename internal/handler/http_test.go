package handler

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

func TestHTTPStatuses(t *testing.T) {
	cases := []struct {
		name   string
		answer func(int32, appstream.Distribution) (appstream.Started, error)
		want   int
	}{
		{"started", ok, 200},
		{"permanent", func(int32, appstream.Distribution) (appstream.Started, error) {
			return appstream.Started{}, apiErr("Image.NotExist")
		}, 422},
		{"retryable", func(int32, appstream.Distribution) (appstream.Started, error) {
			return appstream.Started{}, apiErr("Throttling")
		}, 503},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, _ := newTestHandler(t, &fakeAPI{answer: tc.answer}, map[string]string{"MAX_ATTEMPTS": "1"})
			ev, _ := json.Marshal(map[string]any{"body": `{"imageId":"imgc-abc"}`,
				"requestContext": map[string]any{"http": map[string]string{"method": "POST"}}})
			out, err := h.Handle(context.Background(), ev)
			if err != nil {
				t.Fatalf("Handle() error = %v; HTTP invocations answer, they do not fail", err)
			}
			if got := out.(httpResponse).StatusCode; got != tc.want {
				t.Errorf("status = %d, want %d", got, tc.want)
			}
		})
	}
}
