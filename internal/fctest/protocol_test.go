package fctest_test

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

// These tests speak the wire protocol directly, as the SDK would, to pin
// down what the emulator sends and how it treats odd requests.

const base = "/2020-11-11/runtime/invocation/"

func newRuntime(t *testing.T, opts fctest.Options) *fctest.Runtime {
	t.Helper()
	rt, err := fctest.NewRuntime(opts)
	if err != nil {
		t.Fatalf("NewRuntime: %v", err)
	}
	t.Cleanup(rt.Close)
	return rt
}

// invokeAsync starts Invoke and returns a channel with its outcome.
func invokeAsync(rt *fctest.Runtime, inv fctest.Invocation) <-chan error {
	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, err := rt.Invoke(ctx, inv)
		done <- err
	}()
	return done
}

func mustNext(t *testing.T, rt *fctest.Runtime) *http.Response {
	t.Helper()
	resp, err := http.Get("http://" + rt.Addr() + base + "next")
	if err != nil {
		t.Fatalf("GET next: %v", err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func post(t *testing.T, rt *fctest.Runtime, path string, body []byte) int {
	t.Helper()
	resp, err := http.Post("http://"+rt.Addr()+base+path, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestNextHeaders(t *testing.T) {
	rt := newRuntime(t, fctest.Options{Credentials: fctest.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: "sts"}})
	done := invokeAsync(rt, fctest.Invocation{Event: []byte("evt"), RequestID: "r1", Timeout: 200 * time.Millisecond, RetryCount: 3, FunctionType: 1})
	resp := mustNext(t, rt)
	before := time.Now()

	want := map[string]string{
		"x-fc-request-id": "r1", "x-fc-function-timeout": "1", "x-fc-function-type": "1", "x-fc-retry-count": "3",
		"x-fc-access-key-id": "ak", "x-fc-access-key-secret": "sk", "x-fc-security-token": "sts",
		"x-fc-region": "cn-shanghai", "x-fc-account-id": "1234567890123456", "x-fc-function-name": "image-distributor",
		"x-fc-function-handler": "main", "x-fc-function-memory": "128",
	}
	for name, v := range want {
		if got := resp.Header.Get(name); got != v {
			t.Errorf("header %s = %q, want %q", name, got, v)
		}
	}
	ms, err := strconv.ParseInt(resp.Header.Get("x-fc-function-deadline"), 10, 64)
	if left := time.UnixMilli(ms).Sub(before); err != nil || left > 200*time.Millisecond || left < 0 {
		t.Errorf("x-fc-function-deadline = %q, want about now+200ms", resp.Header.Get("x-fc-function-deadline"))
	}
	var body bytes.Buffer
	if _, err := body.ReadFrom(resp.Body); err != nil {
		t.Fatalf("read next body: %v", err)
	}
	if body.String() != "evt" {
		t.Errorf("next body = %q, want %q", body.String(), "evt")
	}
	if code := post(t, rt, "r1/response", nil); code != http.StatusOK {
		t.Errorf("POST response = %d, want 200", code)
	}
	if err := <-done; err != nil {
		t.Errorf("Invoke = %v, want nil", err)
	}
}

func TestAnswers(t *testing.T) {
	rt := newRuntime(t, fctest.Options{})
	tests := []struct {
		name      string
		path      string
		body      []byte
		wantCode  int
		wantError string // Result.Error.ErrorType; "" means success
	}{
		{"response", "/response", []byte(`"ok"`), http.StatusOK, ""},
		{"error", "/error", []byte(`{"errorMessage":"boom","errorType":"errorString"}`), http.StatusOK, "errorString"},
		{"error not JSON", "/error", []byte("boom"), http.StatusOK, "InvalidErrorBody"},
		{"response too large", "/response", bytes.Repeat([]byte("x"), 6<<20+1), http.StatusRequestEntityTooLarge, "ResponseTooLarge"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			results := make(chan fctest.Result, 1)
			go func() {
				res, _ := rt.Invoke(context.Background(), fctest.Invocation{RequestID: "id-" + strings.ReplaceAll(tc.name, " ", "-")})
				results <- res
			}()
			id := mustNext(t, rt).Header.Get("x-fc-request-id")
			if code := post(t, rt, id+tc.path, tc.body); code != tc.wantCode {
				t.Errorf("POST %s = %d, want %d", tc.path, code, tc.wantCode)
			}
			res := <-results
			if got := errorType(res); got != tc.wantError {
				t.Errorf("Result.Error type = %q, want %q", got, tc.wantError)
			}
			if tc.wantError == "" && !bytes.Equal(res.Payload, tc.body) {
				t.Errorf("Result.Payload = %q, want %q", res.Payload, tc.body)
			}
		})
	}
	t.Run("unknown id", func(t *testing.T) {
		if code := post(t, rt, "nope/response", nil); code != http.StatusNotFound {
			t.Errorf("POST unknown id = %d, want 404", code)
		}
	})
}

func errorType(res fctest.Result) string {
	if res.Error == nil {
		return ""
	}
	return res.Error.ErrorType
}
