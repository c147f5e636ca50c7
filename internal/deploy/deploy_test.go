package deploy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/deploy"
)

// repo names the repository's own files.
var repo = deploy.Paths{
	SYAML:    filepath.Join("..", "..", "s.yaml"),
	Template: filepath.Join("..", "..", "template.yml"),
	Events:   filepath.Join("..", "..", "events"),
}

func TestDeployFilesMatchCode(t *testing.T) {
	for _, p := range deploy.Check(repo) {
		t.Error(p)
	}
}

// TestDefaultsLoad proves that what a first deployment puts in the
// environment is a configuration the function accepts, given the one
// value the README tells the operator to supply.
func TestDefaultsLoad(t *testing.T) {
	files := []struct {
		path  string
		parse func(string) (deploy.Spec, error)
	}{{repo.SYAML, deploy.ParseSYAML}, {repo.Template, deploy.ParseTemplate}}
	for _, f := range files {
		path := f.path
		spec := mustParse(t, f.parse, path)
		env := map[string]string{config.EnvDestinationRegions: "cn-hangzhou,cn-beijing"}
		getenv := func(k string) string {
			if v, ok := env[k]; ok {
				return v
			}
			return spec.Env[k]
		}
		if _, err := config.Load(getenv); err != nil {
			t.Errorf("%s: config.Load(defaults) = %v, want nil", path, err)
		}
	}
}

func mustParse(t *testing.T, parse func(string) (deploy.Spec, error), path string) deploy.Spec {
	t.Helper()
	spec, err := parse(path)
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// TestChecksBite breaks one thing in a copy of the repo files and expects
// Check to name it.
func TestChecksBite(t *testing.T) {
	tests := []struct {
		name, file, old, new, want string
	}{
		{"anonymous HTTP", "s.yaml", "authType: function", "authType: anonymous", `authType "anonymous", want function or jwt`},
		{"no HTTP auth", "template.yml", "        authType: function\n", "", `authType "", want function or jwt`},
		{"GET allowed", "template.yml", "          - POST\n", "          - POST\n          - GET\n", "want [POST] only"},
		{"missing env var", "s.yaml", "        SWEEP_TAGS: ${env('SWEEP_TAGS', '')}\n", "", "SWEEP_TAGS is missing"},
		{"unknown env var", "template.yml", "        LOG_LEVEL: info\n", "        LOG_LEVEL: info\n        LOGLEVEL: debug\n", "LOGLEVEL is not one config.Variables() reads"},
		{"wildcard action", "template.yml", "- appstreaming:ListImage", "- appstreaming:*", `wildcard action "appstreaming:*"`},
		{"extra action", "template.yml", "- appstreaming:ListImage", "- appstreaming:ListImage\n                  - appstreaming:DeleteImage", "grants appstreaming:DeleteImage, which the function never calls"},
		{"missing action", "template.yml", "                  - appstreaming:ListImage\n", "", "does not grant appstreaming:ListImage"},
		{"other service", "template.yml", "                  - mns:SendMessage\n", "                  - mns:SendMessage\n                  - oss:GetObject\n", "grants oss:GetObject, which is neither"},
		{"queue wildcard", "template.yml", "                  - Fn::Sub: acs:mns:${ALIYUN::Region}:${ALIYUN::AccountId}:/queues/${FunctionName}-failed/messages", "                  - '*'", "want only the on-failure destination"},
		{"other principal", "template.yml", "                - fc.aliyuncs.com\n", "                - fc.aliyuncs.com\n                - ecs.aliyuncs.com\n", "want fc.aliyuncs.com only"},
		{"wrong runtime", "s.yaml", "runtime: go1", "runtime: custom.debian10", `runtime is "custom.debian10"`},
		{"handler differs", "template.yml", "Handler: main", "Handler: bootstrap", `handler "bootstrap" differs`},
		{"bad timer payload", "s.yaml", `sweepPayload: '{"images":[]}'`, `sweepPayload: '{"image":[]}'`, "rejected by trigger.Decode"},
		{"bad timer image", "template.yml", `Default: '{"images":[]}'`, `Default: '{"images":[{"imageId":"m-123"}]}'`, "rejected by trigger.Decode"},
		{"no timer", "template.yml", "TriggerType: timer", "TriggerType: oss", "has 0 timer triggers"},
		{"pattern misses sample", "s.yaml", "'acs.appstreaming'", "'acs.ecd'", "does not match events/eventbridge-image-created.json"},
		{"pattern form", "s.yaml", `"type":["${vars.eventType}"]`, `"type":"${vars.eventType}"`, "only value lists and nested objects"},
		{"sync eventbridge", "template.yml", "asyncInvocationType: true", "asyncInvocationType: false", "not asyncInvocationType: true"},
		{"no retries", "s.yaml", "maxAsyncRetryAttempts: 3", "maxAsyncRetryAttempts: 0", `max retries is "0", want 1 to 8`},
		{"retries differ", "template.yml", "MaxAsyncRetryAttempts: 3", "MaxAsyncRetryAttempts: 5", "differ from s.yaml's 3/3600"},
		{"trigger differs", "template.yml", "TriggerName: sweep", "TriggerName: nightly", "has no trigger sweep"},
		{"cgo build", "s.yaml", "CGO_ENABLED=0 ", "", `lacks "CGO_ENABLED=0"`},
		{"legacy transform", "template.yml", "ROSTemplateFormatVersion: '2015-09-01'\n", "ROSTemplateFormatVersion: '2015-09-01'\nTransform: Aliyun::Serverless-2018-04-03\n", "has a Transform"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			paths := copyReal(t, tc.file, tc.old, tc.new)
			problems := deploy.Check(paths)
			for _, p := range problems {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Errorf("Check(%s with %q) = %q, want a problem containing %q", tc.file, tc.new, problems, tc.want)
		})
	}
}

// copyReal writes both deploy files to a temporary folder, replacing old
// with new (exactly once) in the one named file.
func copyReal(t *testing.T, file, old, new string) deploy.Paths {
	t.Helper()
	dir := t.TempDir()
	for _, src := range []string{repo.SYAML, repo.Template} {
		raw, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		text := string(raw)
		if filepath.Base(src) == file {
			if n := strings.Count(text, old); n != 1 {
				t.Fatalf("%s holds %q %d times, want once", file, old, n)
			}
			text = strings.Replace(text, old, new, 1)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return deploy.Paths{SYAML: filepath.Join(dir, "s.yaml"), Template: filepath.Join(dir, "template.yml"), Events: repo.Events}
}

func TestCheckDecodesSamples(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"eventbridge-image-created.json", "junk.json"} {
		raw := []byte(`{"neither": "an event"}`)
		if name != "junk.json" {
			var err error
			if raw, err = os.ReadFile(filepath.Join(repo.Events, name)); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), raw, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	paths := repo
	paths.Events = dir
	problems := deploy.Check(paths)
	if len(problems) != 1 || !strings.Contains(problems[0], "junk.json: rejected by the function's decoder") {
		t.Errorf("Check(events with junk.json) = %q, want one problem naming junk.json", problems)
	}
}
