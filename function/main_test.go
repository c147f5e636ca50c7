package main_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// binary is the function, built once for every test in this package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "image-distributor-e2e-")
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	binary, err = sandbox.Build(ctx, dir)
	cancel()
	if err != nil {
		os.RemoveAll(dir)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result mirrors the function's JSON answer.
type result struct {
	Results []struct {
		ImageID            string            `json:"imageId"`
		VersionID          string            `json:"versionId"`
		ProductType        string            `json:"productType"`
		SourceRegion       string            `json:"sourceRegion"`
		DestinationRegions []string          `json:"destinationRegions"`
		Status             string            `json:"status"`
		TaskID             string            `json:"taskId"`
		APIRequestID       string            `json:"apiRequestId"`
		Attempts           int               `json:"attempts"`
		Progress           map[string]string `json:"progress"`
		Error              *errorInfo        `json:"error"`
		Regions            []regionResult    `json:"regions"`
	} `json:"results"`
	Skipped []struct {
		EventID, Reason string
	} `json:"skipped"`
}

type errorInfo struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
}

type regionResult struct {
	Region string     `json:"region"`
	Status string     `json:"status"`
	TaskID string     `json:"taskId"`
	Error  *errorInfo `json:"error"`
}

// start runs the function in a sandbox that is closed, and whose logs are
// checked for leaked credentials, when the test ends.
func start(t *testing.T, env map[string]string) *sandbox.Sandbox {
	t.Helper()
	return startWith(t, sandbox.Options{Env: env})
}

// startWith is start with every sandbox option; the binary and a 30s
// function timeout are filled in where unset.
func startWith(t *testing.T, opts sandbox.Options) *sandbox.Sandbox {
	t.Helper()
	if opts.Binary == "" {
		opts.Binary = binary
	}
	if opts.Timeout == 0 {
		opts.Timeout = 30 * time.Second
	}
	sb, err := sandbox.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sb.Close()
		assertNoSecrets(t, sb.Logs)
	})
	return sb
}

// assertNoSecrets fails if any credential the sandbox injected appears in
// the function's output, in any of the forms sandbox.Reveals looks for.
func assertNoSecrets(t *testing.T, logs *fctest.LogBuffer) {
	t.Helper()
	out := logs.String()
	for _, form := range sandbox.Reveals(out, sandbox.Credentials.AccessKeySecret, sandbox.Credentials.SecurityToken, sandbox.HTTPToken) {
		t.Errorf("function output contains the credential %q:\n%s", form, out)
	}
}

func invoke(t *testing.T, sb *sandbox.Sandbox, event []byte) fctest.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := sb.Invoke(ctx, event)
	if err != nil {
		t.Fatalf("invoke: %v\nlogs:\n%s", err, sb.Logs.String())
	}
	return res
}

// mustResult decodes a successful answer.
func mustResult(t *testing.T, res fctest.Result, logs *fctest.LogBuffer) result {
	t.Helper()
	if res.Error != nil {
		t.Fatalf("function failed: %s: %s\nlogs:\n%s", res.Error.ErrorType, res.Error.ErrorMessage, logs.String())
	}
	var r result
	if err := json.Unmarshal(res.Payload, &r); err != nil {
		t.Fatalf("answer %s: %v", res.Payload, err)
	}
	return r
}

// waitLog waits for a log line the function writes after answering.
func waitLog(t *testing.T, logs *fctest.LogBuffer, substr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := logs.WaitFor(ctx, substr); err != nil {
		t.Fatalf("log line with %q never came: %v\nlogs:\n%s", substr, err, logs.String())
	}
}

// logLines returns the function's JSON log lines that carry key=value.
func logLines(logs *fctest.LogBuffer, key, value string) []map[string]any {
	var out []map[string]any
	for _, line := range logs.Lines() {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) == nil && m[key] == value {
			out = append(out, m)
		}
	}
	return out
}

func readEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := sandbox.ReadEvent(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// countStarted checks that every answer reports its one image started or
// already distributed, and returns how many started.
func countStarted(t *testing.T, results []fctest.Result, logs *fctest.LogBuffer) int {
	t.Helper()
	started := 0
	for i, res := range results {
		switch s := mustResult(t, res, logs).Results[0].Status; s {
		case "started":
			started++
		case "already-distributed":
		default:
			t.Errorf("invocation %d: status %s, want started or already-distributed", i, s)
		}
	}
	return started
}
