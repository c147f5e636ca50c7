package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadEvents(t *testing.T) {
	got, err := readEvents(nil)
	if err != nil || len(got) != 1 || got[0].name != defaultEvent || len(got[0].raw) == 0 {
		t.Fatalf("readEvents(nil) = %v, %v; want the default sample, named %s", got, err, defaultEvent)
	}
	sample := filepath.Join("..", "..", "events", "timer.json")
	got, err = readEvents([]string{sample, sample})
	if err != nil || len(got) != 2 || got[1].name != sample {
		t.Fatalf("readEvents(the same file twice) = %v, %v; want it twice, named as typed", got, err)
	}
}

// TestReadEventRefuses checks that each bad path is refused with the path
// as typed, and that a missing file is never replaced by a sample of the
// same name (it used to be, quietly).
func TestReadEventRefuses(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "file.json")
	if err := os.WriteFile(file, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	events := filepath.Join("..", "..", "events")
	tests := []struct {
		name, path string
		want       []string
	}{
		{"missing, with a sample of that name", "timer.json",
			[]string{"timer.json: no such file", "did you mean " + filepath.Join(events, "timer.json") + "?"}},
		{"missing, sample of that name in another folder", "elsewhere/timer.json", []string{"elsewhere/timer.json: no such file (did you mean"}},
		{"missing, no such sample", "nope.json", []string{"nope.json: no such file (the samples are in " + events + ")"}},
		{"a directory", events, []string{events + " is a directory", "eventbridge-batch.json"}},
		{"not a regular file", fifo, []string{fifo + " is not a regular file"}},
		{"under a file", file + "/x.json", []string{file + "/x.json: not a directory"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := readEvent(tc.path)
			if err == nil {
				t.Fatalf("readEvent(%q) = %d bytes, want an error", tc.path, len(raw))
			}
			if !strings.HasPrefix(err.Error(), tc.path) {
				t.Errorf("readEvent(%q) = %q, want it to start with the path as typed", tc.path, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("readEvent(%q) = %q, want %q in it", tc.path, err, w)
				}
			}
		})
	}
}

func TestReadEventUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	path := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(path, []byte("{}"), 0o000); err != nil {
		t.Fatal(err)
	}
	if _, err := readEvent(path); err == nil || !strings.Contains(err.Error(), path+": cannot be read") {
		t.Errorf("readEvent(unreadable) = %v, want %q", err, path+": cannot be read")
	}
}
