package trigger_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/trigger"
)

// mustReadEvent reads a sample from the repository's events folder. Tests
// cannot embed files from a parent directory, so every sample is read here.
func mustReadEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", name))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	return b
}

// mustReadTestdata reads a malformed or hostile input from testdata.
func mustReadTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read testdata: %v", err)
	}
	return b
}

// mustInputError asserts err is an *InputError with the given status and
// code whose message contains each of wants, stays on one line and is
// bounded, whatever the input.
func mustInputError(t *testing.T, call string, err error, status int, code string, wants ...string) *trigger.InputError {
	t.Helper()
	var ie *trigger.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("%s error = %v (%T), want *trigger.InputError", call, err, err)
	}
	if ie.Status != status || ie.Code != code {
		t.Errorf("%s = %d %s, want %d %s (%v)", call, ie.Status, ie.Code, status, code, ie)
	}
	for _, w := range wants {
		if !strings.Contains(ie.Message, w) {
			t.Errorf("%s message = %q, want it to contain %q", call, ie.Message, w)
		}
	}
	if strings.ContainsAny(ie.Error(), "\r\n") {
		t.Errorf("%s message = %q, contains a raw line break", call, ie.Message)
	}
	if n := len(ie.Error()); n > 2000 {
		t.Errorf("%s message is %d bytes, want at most 2000", call, n)
	}
	return ie
}

// cloudEvent wraps data, raw JSON, in a minimal CloudEvent.
func cloudEvent(id, data string) string {
	return `{"specversion":"1.0","id":"` + id + `","source":"test","type":"image:Created","aliyunregionid":"cn-shanghai","data":` + data + `}`
}

// actionTrail wraps an ActionTrail record, raw JSON, in its CloudEvent.
func actionTrail(id, record string) string {
	return `{"specversion":"1.0","id":"` + id + `","source":"acs.appstreaming","type":"appstreaming:ActionTrail:ApiCall",` +
		`"aliyunregionid":"cn-beijing","data":` + record + `}`
}

func join(items ...string) string { return "[" + strings.Join(items, ",") + "]" }
