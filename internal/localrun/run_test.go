package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// budget bounds a whole run in these tests. It is not a measurement: a
// run that ends by reaching it (exit 130) has waited for something that
// should have ended it at once.
const budget = 2 * time.Minute

type runResult struct {
	code           int
	stdout, stderr string
}

// lastLine is the run's final word, the one line that names a problem.
func (r runResult) lastLine() string {
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	return lines[len(lines)-1]
}

func runLocal(t *testing.T, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	var out, errs strings.Builder
	code := run(ctx, args, &out, &errs)
	return runResult{code, out.String(), errs.String()}
}

func sample(name string) string { return filepath.Join("..", "..", "events", name) }

// TestBadSettingEndsAtOnce: the function refuses the configuration at cold
// start and exits. The run used to wait for its own 3-minute limit; it must
// end with the function's own message instead, and fail.
func TestBadSettingEndsAtOnce(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		want string
	}{
		{"unknown log level", []string{"LOG_LEVEL=verbose"}, `LOG_LEVEL: "verbose" is not one of debug, info, warn, error`},
		{"no destination regions", []string{"DESTINATION_REGIONS="}, "DESTINATION_REGIONS: required"},
		{"a region outside the allowed list", []string{"ALLOWED_REGIONS=cn-hangzhou", "DESTINATION_REGIONS=eu-central-1"},
			"ALLOWED_REGIONS: eu-central-1 is configured as a destination but not allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var args []string
			for _, e := range tc.env {
				args = append(args, "-env", e)
			}
			r := runLocal(t, append(args, sample("timer.json"), sample("http-distribute.json"))...)
			if r.code != exitFailed {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, exitFailed, r.stderr)
			}
			if want := "localrun: " + sample("timer.json") + ": the function exited (exit status 2) before answering: invalid configuration: " + tc.want; !strings.HasPrefix(r.lastLine(), want) {
				t.Errorf("last line = %q\nwant it to start with %q", r.lastLine(), want)
			}
			if strings.Contains(r.stdout, "== "+sample("http-distribute.json")) {
				t.Errorf("the run went on to the next event after the function exited:\n%s", r.stdout)
			}
		})
	}
}

// TestSamples runs the README's first command and checks what a person
// reads: the environment, a summary first, condensed logs without the
// runtime's lines, the HTTP body as JSON, and the presets at work.
func TestSamples(t *testing.T) {
	r := runLocal(t, sample("eventbridge-image-created.json"), sample("http-distribute.json"))
	if r.code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	for _, w := range []string{
		"preset      DESTINATION_REGIONS=cn-hangzhou,cn-beijing",
		"-- " + sample("eventbridge-image-created.json") + ": ok in ",
		// The image goes where the printed preset says: no hidden product override.
		"IMAGE                  STATUS   REGIONS                 TASK ID\nimgc-07jyldnd9iab12cd  started  cn-hangzhou,cn-beijing  tid-",
		"INF image started image_id=imgc-07jyldnd9iab12cd",
		"-- " + sample("http-distribute.json") + ": HTTP 200 in ",
		"\"body\": {\n",
	} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
		}
	}
	for _, unwanted := range []string{"FC Invoke", `{"level"`, `\"results\"`, "LOG_LEVEL", "ALLOWED_REGIONS", "BY_PRODUCT"} {
		if strings.Contains(r.stdout, unwanted) {
			t.Errorf("stdout has %q:\n%s", unwanted, r.stdout)
		}
	}
	for _, step := range []string{"resolving modules", "building ./function", "starting the FC runtime emulator", "invoking the function with"} {
		if !strings.Contains(r.stderr, "localrun: "+step) {
			t.Errorf("stderr lacks the step %q:\n%s", step, r.stderr)
		}
	}
}

func TestRunOutcomes(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.json")
	if err := os.WriteFile(garbage, []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	created := sample("eventbridge-image-created.json")
	refused := filepath.Join(t.TempDir(), "status-us.json")
	query := `{"version":"v1","headers":{"X-Distributor-Token":"local-test-token"},` +
		`"queryParameters":{"imageId":"imgc-us1","destinationRegions":"us-west-1"},"requestContext":{"http":{"method":"GET"}}}`
	if err := os.WriteFile(refused, []byte(query), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		last   string
	}{
		// The flag after the file used to be ignored: a real run, not a dry one.
		{"flag after the file", []string{sample("timer.json"), "-env", "DRY_RUN=true"}, exitOK,
			[]string{"dry-run", "ListImage page=1 -> 200"}, ""},
		{"several files, in order, in one instance", []string{created, created}, exitOK,
			[]string{"-- " + created + ": ok", "started", "-- " + created + ": ok", "already-distributed"}, ""},
		{"HTTP status 422", []string{"-env", "DESTINATION_REGIONS=cn-hangzhou", sample("http-distribute.json")}, exitFailed, nil,
			"localrun: " + sample("http-distribute.json") + ": HTTP 422: imgc-3e1ap5q8t0uv23wx: RegionNotAllowed: destination region cn-beijing is not in ALLOWED_REGIONS"},
		// The stand-in shows the queried image's copies in each state,
		// progressing, and one image per verdict for the view of all.
		{"status queries", []string{sample("http-status.json"), sample("http-status-all.json")}, exitOK,
			// Issue 18: logs, calls and the answer first; the summary last.
			[]string{"status=status-query", "ListImage page=1 imageId=imgc-6h4ds8t1w3xy56za -> 200",
				"-- the function's answer", "-- " + sample("http-status.json") + ": HTTP 200",
				"IMAGE                  IMAGE STATUS  VERDICT      REGION       STATE    PROGRESS\n" +
					"imgc-6h4ds8t1w3xy56za  AVAILABLE     in-progress  cn-hangzhou  done\n" +
					"                                                  cn-beijing   copying  40%\n",
				"-- the function's answer", "-- " + sample("http-status-all.json") + ": HTTP 200", "NEXT SWEEP",
				"imgc-localfail1", "start cn-hangzhou", "failed", "imgc-localdone1", "complete",
				"listing complete: 1 of 1 pages"}, ""},
		{"merged duplicate events", []string{sample("eventbridge-batch.json")}, exitOK,
			[]string{"-- the function's answer", "imgc-1c9ym3n6r8st01uv  started",
				"merged imgc-1c9ym3n6r8st01uv: 2 events named it (image.pipeline/a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a5b, image.pipeline/a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a5b)"}, ""},
		{"status query refused", []string{refused}, exitFailed, nil,
			"localrun: " + refused + ": HTTP 422: RegionNotAllowed: destination region us-west-1 is not in ALLOWED_REGIONS"},
		{"function error", []string{garbage}, exitFailed, []string{`"errorType": "InputError"`},
			"localrun: " + garbage + ": the function returned an error: InputError: "},
		{"raw output", []string{"-raw", created}, exitOK, []string{"FC Invoke Start RequestId: local-1", `{"level":"info"`}, ""},
		{"missing file", []string{created, "nope.json"}, exitUsage, nil, "localrun: nope.json: no such file (the samples are in ../../events)"},
		{"bad flag", []string{created, "-dryrun"}, exitUsage, nil, "localrun: flag provided but not defined: -dryrun (see -h)"},
		{"help", []string{"-h"}, exitOK, []string{"Usage: go run ./internal/localrun"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runLocal(t, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, tc.code, r.stderr)
			}
			out := r.stdout
			for _, w := range tc.stdout {
				i := strings.Index(out, w)
				if i < 0 {
					t.Fatalf("stdout lacks %q after what came before:\n%s", w, r.stdout)
				}
				out = out[i+len(w):]
			}
			if tc.last != "" && !strings.HasPrefix(r.lastLine(), tc.last) {
				t.Errorf("last line = %q, want it to start with %q", r.lastLine(), tc.last)
			}
		})
	}
}
