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
	README:   filepath.Join("..", "..", "README.md"),
	Source:   filepath.Join("..", ".."),
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
		{"GET missing", "template.yml", "          - GET\n          - POST\n", "          - POST\n", "allows methods [POST], want exactly [GET POST]"},
		{"POST missing", "s.yaml", "              - GET\n              - POST\n", "              - GET\n", "allows methods [GET], want exactly [GET POST]"},
		{"PUT allowed", "s.yaml", "              - POST\n", "              - POST\n              - PUT\n", "allows methods [GET POST PUT], want exactly [GET POST]"},
		{"GET twice", "template.yml", "          - GET\n", "          - GET\n          - GET\n", "allows methods [GET GET POST], want exactly [GET POST]"},
		{"missing env var", "s.yaml", "        SWEEP_TAGS: ${env('SWEEP_TAGS', '')}\n", "", "SWEEP_TAGS is missing"},
		{"unknown env var", "template.yml", "        LOG_LEVEL:\n", "        LOGLEVEL: debug\n        LOG_LEVEL:\n", "LOGLEVEL is not one config.Variables() reads"},
		// Issue 18: every setting a parameter, with the code's default.
		{"setting fixed in the template", "template.yml", "        LOG_LEVEL:\n          Ref: LogLevel\n", "        LOG_LEVEL: info\n", `LOG_LEVEL is fixed at "info"`},
		{"parameter default not the code's", "template.yml", "    AllowedValues: [debug, info, warn, error]\n    Default: info", "    AllowedValues: [debug, info, warn, error]\n    Default: debug",
			`template.yml: LOG_LEVEL defaults to "debug", which is not the code's default`},
		{"ROS rate default not the code's", "template.yml", "    Default: '5'\n", "    Default: '10'\n", `template.yml: API_QPS defaults to "10"`},
		{"s.yaml default not the code's", "s.yaml", "${env('MAX_ATTEMPTS', '4')}", "${env('MAX_ATTEMPTS', '1')}", `s.yaml: MAX_ATTEMPTS defaults to "1"`},
		{"product default not the code's", "s.yaml", "${env('PRODUCT_TYPE', 'CloudApp')}", "${env('PRODUCT_TYPE', 'CloudDesktop')}", `PRODUCT_TYPE defaults to "CloudDesktop"`},
		{"wildcard action", "template.yml", "- appstreaming:ListImage", "- appstreaming:*", `wildcard action "appstreaming:*"`},
		{"extra action", "template.yml", "- appstreaming:ListImage", "- appstreaming:ListImage\n                  - appstreaming:DeleteImage", "grants appstreaming:DeleteImage, which the function never calls"},
		{"missing action", "template.yml", "                  - appstreaming:ListImage\n", "", "does not grant appstreaming:ListImage"},
		{"other service", "template.yml", "                  - mns:SendMessage\n", "                  - mns:SendMessage\n                  - oss:GetObject\n", "grants oss:GetObject, which is neither"},
		{"queue wildcard", "template.yml", "                  - Fn::Join:\n                      - ''\n                      - - Fn::GetAtt: [FailureQueue, ARN.WithSlash]\n                        - /messages\n",
			"                  - '*'\n", "grants mns:SendMessage on [*], want only"},
		{"no role", "template.yml", "    Type: ALIYUN::RAM::Role\n", "    Type: ALIYUN::RAM::User\n", "no role for the function"},
		{"other principal", "template.yml", "                - fc.aliyuncs.com\n", "                - fc.aliyuncs.com\n                - ecs.aliyuncs.com\n", "want fc.aliyuncs.com only"},
		// Item 8: the log grant, exactly the function's logstore, in both
		// the template's role and the README's policy for s.yaml.
		{"no log grant", "template.yml", "                  - log:PostLogStoreLogs\n", "", "does not grant log:PostLogStoreLogs"},
		{"log grant on every logstore", "template.yml", "/logstore/function-log", "/logstore/*", "grants log:PostLogStoreLogs on"},
		{"log grant on another project", "template.yml", ":project/${FunctionName}-${ALIYUN::TenantId}/logstore", ":project/shared/logstore", "want only acs:log:<region>:<account-id>:project/image-distributor-<account-id>/logstore/function-log"},
		{"README: no log grant", "README.md", `    {"Effect": "Allow", "Action": ["log:PostLogStoreLogs"],`, `    {"Effect": "Allow", "Action": ["log:GetLogStoreLogs"],`, "README.md: role grants log:GetLogStoreLogs, which is neither"},
		{"README: log grant too wide", "README.md", "project/image-distributor-<account-id>/logstore/function-log", "project/*", "README.md: role grants log:PostLogStoreLogs on"},
		{"README: queue of another name", "README.md", ":/queues/image-distributor-failed/messages", ":/queues/other/messages", "README.md: role grants mns:SendMessage on"},
		{"README: wildcard region", "README.md", `["acs:mns:<region>:`, `["acs:mns:*:`, "README.md: role grants mns:SendMessage on"},
		{"README: no policy", "README.md", "  ```json\n  {\"Version\": \"1\", \"Statement\"", "  ```text\n  {\"Version\": \"1\", \"Statement\"", "no ```json block with the role's policy"},
		{"logConfig auto", "s.yaml", "      logConfig:\n        project: ${vars.logProject}\n        logstore: ${vars.logstore}\n        logBeginRule: None\n", "      logConfig: auto\n", "logConfig is auto"},
		{"logs differ", "s.yaml", "  logstore: function-log", "  logstore: fc-logs", "logs go to"},
		{"wrong runtime", "s.yaml", "runtime: go1", "runtime: custom.debian10", `runtime is "custom.debian10"`},
		{"handler differs", "template.yml", "Handler: main", "Handler: bootstrap", `handler "bootstrap" differs`},
		{"bad timer payload", "s.yaml", `sweepPayload: '{"images":[]}'`, `sweepPayload: '{"image":[]}'`, "rejected by trigger.Decode"},
		{"bad timer image", "template.yml", `Default: '{"images":[]}'`, `Default: '{"images":[{"imageId":"m-123"}]}'`, "rejected by trigger.Decode"},
		{"no timer", "template.yml", "TriggerType: timer", "TriggerType: oss", "has 0 timer triggers"},
		{"pattern misses sample", "s.yaml", "'acs.appstreaming'", "'acs.ecd'", "does not match events/eventbridge-image-created.json"},
		{"pattern form", "s.yaml", `"type":["${vars.eventType}","${vars.eventTypeConsole}"]`, `"type":"${vars.eventType}"`, "only value lists and nested objects"},
		// Issue 13 item 3: both record types pass the default filter.
		{"console operations filtered out", "template.yml", `"type":["${EventType}","${EventTypeConsole}"]`, `"type":["${EventType}"]`, "template.yml: eventbridge trigger image-created pattern"},
		{"console type wrong", "s.yaml", "'appstreaming:ActionTrail:ConsoleOperation'", "'appstreaming:ActionTrail:ApiCall'", "does not accept ConsoleOperation records"},
		{"api type wrong", "template.yml", "Default: appstreaming:ActionTrail:ApiCall", "Default: appstreaming:ActionTrail:ConsoleOperation", "does not match events/eventbridge-image-created.json"},
		// Item 7: retries and the failure queue in either invocation mode.
		{"invocation mode unset", "s.yaml", "            asyncInvocationType: true\n", "", "sets no asyncInvocationType"},
		{"invocation modes differ", "template.yml", "asyncInvocationType: true", "asyncInvocationType: false", "trigger image-created is"},
		{"no dead-letter queue", "s.yaml", "              deadLetterQueue:\n                Arn: ${vars.failureQueue}\n", "", `deadLetterQueue.Arn is ""`},
		{"dead-letter queue elsewhere", "s.yaml", "Arn: ${vars.failureQueue}", "Arn: ${vars.onFailure}", "the on-failure queue, whose ARN ends before /messages"},
		{"dead-letter queue by hand", "template.yml", "            Arn:\n              Fn::GetAtt: [FailureQueue, ARN.WithSlash]", "            Arn:\n              Fn::Sub: acs:mns:${ALIYUN::Region}:${ALIYUN::TenantId}:/queues/${FunctionName}-failed",
			"want Fn::GetAtt [<queue>, ARN.WithSlash]"},
		{"retry strategy miscased", "template.yml", "MaximumRetryAttempts: 3", "maximumRetryAttempts: 3", `MaximumRetryAttempts is ""`},
		{"exponential retries", "s.yaml", "PushRetryStrategy: BACKOFF_RETRY", "PushRetryStrategy: EXPONENTIAL_DECAY_RETRY", "want BACKOFF_RETRY"},
		{"trigger retries differ", "s.yaml", "                MaximumRetryAttempts: 3", "                MaximumRetryAttempts: 2", "differ from asyncInvokeConfig's 3/3600"},
		{"trigger age differs", "template.yml", "MaximumEventAgeInSeconds: 3600", "MaximumEventAgeInSeconds: 600", "differ from asyncInvokeConfig's 3/3600"},
		{"errors block", "template.yml", "errorsTolerance: ALL", "errorsTolerance: NONE", "want ALL"},
		{"raw data", "s.yaml", "eventSchema: CloudEvents", "eventSchema: RawData", "want CloudEvents"},
		{"streaming", "s.yaml", "              mode: event-driven\n              # ALL", "              mode: event-streaming\n              # ALL", "want event-driven"},
		{"no sink config", "template.yml", "        eventSinkConfig:\n          deliveryOption:\n            mode: event-driven\n            eventSchema: CloudEvents\n", "", `eventSchema is ""`},
		// Item 9: whose account, where the queue ARN comes from, names.
		{"deployer's account", "template.yml", "Fn::Sub: ${FunctionName}-${ALIYUN::TenantId}", "Fn::Sub: ${FunctionName}-${ALIYUN::AccountId}", "uses ${ALIYUN::AccountId}"},
		{"no name pattern", "template.yml", "    AllowedPattern: ^[a-z][a-z0-9-]{1,44}[a-z0-9]$\n", "", "FunctionName has no AllowedPattern"},
		{"capitals allowed", "template.yml", "AllowedPattern: ^[a-z][a-z0-9-]{1,44}[a-z0-9]$", "AllowedPattern: ^[A-Za-z][A-Za-z0-9-]{1,44}[A-Za-z0-9]$", `makes LogProject "Abc-1234567890123456": not an SLS project name`},
		{"underscore allowed", "template.yml", "AllowedPattern: ^[a-z][a-z0-9-]{1,44}[a-z0-9]$", "AllowedPattern: ^[a-z][a-z0-9_-]{1,44}[a-z0-9]$", "not an MNS queue name"},
		{"63 characters allowed", "template.yml", "AllowedPattern: ^[a-z][a-z0-9-]{1,44}[a-z0-9]$", "AllowedPattern: ^[a-z][a-z0-9-]{1,61}[a-z0-9]$", "not an SLS project name"},
		{"default refused", "template.yml", "    Default: image-distributor\n    # The queue", "    Default: Image-Distributor\n    # The queue", "does not match its own AllowedPattern"},
		{"async destination by hand", "template.yml", "          Destination:\n            Fn::Join:\n              - ''\n              - - Fn::GetAtt: [FailureQueue, ARN.WithSlash]\n                - /messages\n",
			"          Destination:\n            Fn::Sub: acs:mns:${ALIYUN::Region}:${ALIYUN::TenantId}:/queues/${FunctionName}-failed/messages\n", "the on-failure queue, whose ARN ends before /messages"},
		{"sync eventbridge no async config", "template.yml", "    Type: ALIYUN::FC3::AsyncInvokeConfig\n", "    Type: ALIYUN::FC3::Alias\n", "no asynchronous-invocation config"},
		{"no retries", "s.yaml", "maxAsyncRetryAttempts: 3", "maxAsyncRetryAttempts: 0", `max retries is "0", want 1 to 8`},
		{"retries differ", "template.yml", "MaxAsyncRetryAttempts: 3", "MaxAsyncRetryAttempts: 5", "differ from s.yaml's 3/3600"},
		{"trigger differs", "template.yml", "TriggerName: sweep", "TriggerName: nightly", "has no trigger sweep"},
		// Issue 13: the sweep's cadence and the new-image selector.
		{"hourly sweep", "s.yaml", "'0 */5 * * * *'", "'0 0 * * * *'", `runs on "0 0 * * * *" by default, want "0 */5 * * * *"`},
		{"hourly sweep in ROS", "template.yml", "Default: 0 */5 * * * *", "Default: 0 0 * * * *", `runs on "0 0 * * * *" by default`},
		{"baked-in instant", "template.yml", "        SWEEP_CREATED_AFTER:\n          Ref: SweepCreatedAfter\n", "        SWEEP_CREATED_AFTER: '2026-01-01T00:00:00Z'\n", "SWEEP_CREATED_AFTER defaults to \"2026-01-01T00:00:00Z\""},
		{"no created-after", "s.yaml", "        SWEEP_CREATED_AFTER: ${env('SWEEP_CREATED_AFTER', '')}\n", "", "SWEEP_CREATED_AFTER is missing"},
		{"old minimum age", "s.yaml", "${env('SWEEP_MIN_AGE', '0s')}", "${env('SWEEP_MIN_AGE', '10m')}", `SWEEP_MIN_AGE defaults to "10m", not the code's 0s`},
		// Issue 16 item 7: a tick ends before the next is due.
		{"timeout is the period", "s.yaml", "timeout: 240", "timeout: 300", `cron "0 */5 * * * *" fires 5m0s apart at the closest, not more than the 5m0s timeout`},
		{"timeout over the period in ROS", "template.yml", "Timeout: 240", "Timeout: 600", "not more than the 10m0s timeout"},
		{"no timeout", "s.yaml", "      timeout: 240\n", "", `function timeout is ""`},
		{"cron shorter than the timeout", "s.yaml", "'0 */5 * * * *'", "'0 */3 * * * *'", `cron "0 */3 * * * *" fires 3m0s apart`},
		{"cron of unknown form", "s.yaml", "'0 */5 * * * *'", "'*/5 * * * *'", "has 5 fields"},
		{"cron pattern lets a day and more through", "template.yml", "[1-9][0-9]{2}|1[0-3][0-9]{2}|14[0-3][0-9]|1440)m$", "[1-9][0-9]{1,3})m$", `lets through "@every 1441m", which the function refuses`},
		{"cron pattern lets a wrap through", "template.yml", "[*0]/(5|6|10|12|15|20|30)", "[*0]/([5-9]|10|12|15|20|30)", `lets through "0 */7 * * * *": cron "0 */7 * * * *" fires 4m0s apart`},
		{"cron pattern lets anything through", "template.yml", `AllowedPattern: ^0 [*0]/`, `AllowedPattern: ^.*$|^0 [*0]/`, `lets through "0 0 0 L * ?"`},
		{"no cron pattern", "template.yml", "    AllowedPattern: ^0 [*0]", "    Pattern: ^0 [*0]", "SweepCron has no AllowedPattern"},
		{"cron default refused", "template.yml", "    Default: 0 */5 * * * *\n", "    Default: 0 */5 * * * ?\n", `default "0 */5 * * * ?" does not match`},
		// Issue 16: an operator hears about it.
		{"no alert", "template.yml", "Type: ALIYUN::SLS::Alert", "Type: ALIYUN::SLS::Dashboard", "template.yml: no alert on the error-level lines"},
		{"alert on another logstore", "template.yml", "              Store:\n                Fn::GetAtt: [LogStore, LogstoreName]", "              Store: other-log", "error alert queries image-distributor-<account-id>/other-log"},
		{"alert not grouped", "template.yml", "Type: custom\n            Fields: [status, image_id, region]", "Type: no_group\n            Fields: []", "error alert groups no_group by []"},
		{"alert grouped without region", "template.yml", "Fields: [status, image_id, region]", "Fields: [status, image_id]", "want custom grouping on [image_id region]"},
		{"alert group field not returned", "template.yml", `"message.region" AS region, count`, `"message.region" AS place, count`, "groups by region, which its query does not return"},
		{"alert on every line", "template.yml", "Query: 'message.level: error |", "Query: '* |", `error alert searches "*"`},
		{"alert reads an unindexed key", "template.yml", "            - {Name: region, Type: text, EnableAnalytics: true}\n", "", "reads message.region, which the logstore's index does not hold"},
		{"alert misses lines", "template.yml", "Start: -20m", "Start: -5m", `looks back "-5m" every 15m`},
		{"alert notifies nobody", "template.yml", "            AlertPolicyId: sls.builtin.dynamic\n", "", `alert policy "" and action policy "sls.builtin"`},
		{"README: no alert", "README.md", `"queryList"`, `"queries"`, "no ```json block with the error alert"},
		{"README: alert window drifts", "README.md", `"start": "-20m"`, `"start": "-30m"`, "over -20m every 15m, the README's by [status image_id region] over -30m"},
		{"README: alert query drifts", "README.md", `LIMIT 1000"}]`, `LIMIT 100"}]`, "error alert query"},
		{"README: query shown drifts", "README.md", "LIMIT 1000\n```", "LIMIT 10\n```", "the query shown"},
		{"README: error line missing", "README.md", "| `configuration rejected` |", "| configuration rejected |", `no row for the error-level line "configuration rejected", which main.main (function/main.go:`},
		{"README: failed missing", "README.md", "| `failed` | A copy", "| failed | A copy", `no row for the error-level line "failed", which handler.logOutcome (internal/handler/log.go:`},
		{"README: panic missing", "README.md", "| `recovered from a panic` |", "| recovered from a panic |", `no row for the error-level line "recovered from a panic", which handler.recovered`},
		{"README: index lacks a key", "README.md", `    "region": {"type": "text", "doc_value": true},` + "\n", "", "README.md: error alert reads message.region"},
		{"function told another schedule", "template.yml", "        SWEEP_CRON:\n          Ref: SweepCron\n", "        SWEEP_CRON: 0 */10 * * * *\n", `SWEEP_CRON is "0 */10 * * * *", but timer trigger sweep runs on "0 */5 * * * *"`},
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

// copyReal writes both deploy files and the README to a temporary folder,
// replacing old with new (exactly once) in the one named file.
func copyReal(t *testing.T, file, old, new string) deploy.Paths {
	t.Helper()
	dir := t.TempDir()
	for _, src := range []string{repo.SYAML, repo.Template, repo.README} {
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
	paths := deploy.Paths{SYAML: filepath.Join(dir, "s.yaml"), Template: filepath.Join(dir, "template.yml"), Events: repo.Events,
		README: filepath.Join(dir, "README.md")}
	if file == "README.md" { // only the README's table depends on the source; parsing it is the slow part
		paths.Source = repo.Source
	}
	return paths
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
