package fctest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

// echoBinary is testdata/echo, built once by TestMain for every test.
var echoBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fctest")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	echoBinary = filepath.Join(dir, "echo")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	err = fctest.Build(ctx, "./internal/fctest/testdata/echo", echoBinary)
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// echoReply mirrors the reply type in testdata/echo.
type echoReply struct {
	Event           string `json:"event"`
	RequestID       string `json:"requestId"`
	AccessKeyID     string `json:"accessKeyId"`
	AccessKeySecret string `json:"accessKeySecret"`
	SecurityToken   string `json:"securityToken"`
	Region          string `json:"region"`
	AccountID       string `json:"accountId"`
	FunctionName    string `json:"functionName"`
	TimeoutSeconds  int    `json:"timeoutSeconds"`
	RetryCount      int    `json:"retryCount"`
	DeadlineInMS    int64  `json:"deadlineInMs"`
	EnvAccessKeyID  string `json:"envAccessKeyId"`
}

// startEcho runs the echo function against a fresh runtime and tears both
// down at the end of the test, process first so the SDK never spins.
func startEcho(t *testing.T, opts fctest.Options, env ...string) (*fctest.Runtime, *fctest.Process, *fctest.LogBuffer) {
	t.Helper()
	rt, err := fctest.NewRuntime(opts)
	if err != nil {
		t.Fatalf("NewRuntime: %v", err)
	}
	logs := &fctest.LogBuffer{}
	proc, err := fctest.Start(echoBinary, rt, env, logs)
	if err != nil {
		rt.Close()
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := proc.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
		rt.Close()
		if t.Failed() {
			t.Logf("function logs:\n%s", logs)
		}
	})
	return rt, proc, logs
}

// mustInvoke invokes with a bounded wait so a protocol bug fails the test
// instead of hanging it.
func mustInvoke(t *testing.T, rt *fctest.Runtime, inv fctest.Invocation) fctest.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := rt.Invoke(ctx, inv)
	if err != nil {
		t.Fatalf("Invoke(%q) error: %v", inv.Event, err)
	}
	return res
}

func mustReply(t *testing.T, res fctest.Result) echoReply {
	t.Helper()
	if res.Error != nil {
		t.Fatalf("Invoke result error = %+v, want success", res.Error)
	}
	var r echoReply
	if err := json.Unmarshal(res.Payload, &r); err != nil {
		t.Fatalf("decode payload %q: %v", res.Payload, err)
	}
	return r
}
