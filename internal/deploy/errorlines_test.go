package deploy_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/deploy"
)

// TestErrorLinesFromSource gives the check a source tree with error-level
// lines of every shape it reads, none of them in the README's table, and
// expects each to be named; lines at other levels and an error's Error()
// must not be.
func TestErrorLinesFromSource(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"internal/stuck/stuck.go": `package stuck

import "github.com/rs/zerolog"

const statusStuck = "stuck-const"

type Status string

const StatusTyped Status = "stuck-typed"

type H struct{ log zerolog.Logger }

func (h *H) literal() { h.log.Error().Str("image_id", "x").Str("status", "stuck-literal").Msg("m") }
func (h *H) constant() { h.log.Error().Str("status", statusStuck).Msg("m") }
func (h *H) typed()    { h.log.Error().Str("status", string(StatusTyped)).Msg("m") }
func (h *H) qualified() { h.log.Err(nil).Str("status", string(other.StatusOther)).Msg("m") }
func (h *H) message()  { h.log.Error().Str("error", "e").Msg("something broke") }
func (h *H) assigned(bad bool) {
	ev := h.log.Info()
	if bad {
		ev = h.log.Error()
	}
	ev = ev.Str("status", "stuck-assigned")
	ev.Msg("m")
}
func (h *H) unreadable(s string) { h.log.Error().Str("status", s).Msg("m") }
func (h *H) quiet(err error) string {
	h.log.Info().Str("status", "fine-info").Msg("m")
	h.log.Warn().Str("status", "fine-warn").Msg("m")
	return err.Error()
}
`,
		"internal/other/other.go":      "package other\n\nconst StatusOther = \"stuck-qualified\"\n",
		"internal/stuck/stuck_test.go": "package stuck\n\nfunc f(h *H) { h.log.Error().Str(\"status\", \"test-only\").Msg(\"m\") }\n",
		"internal/stuck/testdata/x.go": "package x\n\nfunc f() { log.Error().Str(\"status\", \"testdata-only\").Msg(\"m\") }\n",
	}
	for name, text := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	paths := repo
	paths.Source = root
	var got []string
	for _, p := range deploy.Check(paths) {
		if _, key, ok := strings.Cut(p, "no row for the error-level line "); ok {
			got = append(got, strings.SplitN(key, ",", 2)[0])
		} else if strings.Contains(p, "a status the check cannot read") {
			got = append(got, "unreadable: "+strings.Fields(p)[1])
		} else {
			t.Errorf("Check(source %s) = %q, want only error-line problems", root, p)
		}
	}
	slices.Sort(got)
	want := []string{`"something broke"`, `"stuck-assigned"`, `"stuck-const"`, `"stuck-literal"`, `"stuck-qualified"`, `"stuck-typed"`, "unreadable: stuck.unreadable"}
	if !slices.Equal(got, want) {
		t.Errorf("Check(source %s) names %q, want %q", root, got, want)
	}
}

// TestErrorLinesWithoutSource: a source folder that holds no Go file (a
// wrong path, a moved tree) must not pass as "no error lines to check".
func TestErrorLinesWithoutSource(t *testing.T) {
	paths := repo
	paths.Source = t.TempDir()
	probs := deploy.Check(paths)
	if !slices.ContainsFunc(probs, func(p string) bool { return strings.Contains(p, "no error-level log call found") }) {
		t.Errorf("Check with an empty source folder = %q, want it to say the Alerts table cannot be checked", probs)
	}
}
