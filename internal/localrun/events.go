package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// defaultEvent is the sample replayed when no file is named, relative to
// the repository root so that it is found from any directory in it.
const defaultEvent = "events/eventbridge-image-created.json"

// event is one invocation: a file's name as the user typed it, and its bytes.
type event struct {
	name string
	raw  []byte
}

// readEvents reads every file before anything is built, so a mistyped
// path is answered at once. Each path is taken as typed: a missing file
// is an error, never a quiet substitute from events/.
func readEvents(paths []string) ([]event, error) {
	if len(paths) == 0 {
		dir, err := sandbox.EventsDir()
		if err != nil {
			return nil, err
		}
		raw, err := readEvent(filepath.Join(dir, filepath.Base(defaultEvent)))
		return []event{{defaultEvent, raw}}, err
	}
	var out []event
	for _, p := range paths {
		raw, err := readEvent(p)
		if err != nil {
			return nil, err
		}
		out = append(out, event{p, raw})
	}
	return out, nil
}

func readEvent(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: no such file%s", path, suggest(path))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, errors.Unwrap(err))
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s is a directory: name an event file%s", path, listJSON(path))
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file: name an event file", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot be read: %w", path, errors.Unwrap(err))
	}
	return b, nil
}

// suggest points at the sample of the same name, which is most likely
// what was meant, without ever using it in its place.
func suggest(path string) string {
	dir, err := sandbox.EventsDir()
	if err != nil {
		return ""
	}
	sample := filepath.Join(dir, filepath.Base(path))
	if _, err := os.Stat(sample); err != nil {
		return " (the samples are in " + relative(dir) + ")"
	}
	return " (did you mean " + relative(sample) + "?)"
}

// listJSON names a few of the JSON files in dir, as examples.
func listJSON(dir string) string {
	names, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(names) == 0 {
		return ""
	}
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	return " such as " + strings.Join(names, ", ")
}

func relative(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil {
		return rel
	}
	return path
}
