package deploy_test

import (
	"regexp"
	"strings"
	"testing"
)

// readmeCommands says how TestREADMECommands runs each shell command of
// the README (every line of every ```sh fence, continuations joined,
// comments cut). A command no row matches fails the test, and so does a
// row no command matches: the README and this table move together.
//
// To add a command to the README, add a row here:
//   - run: it needs no account, so it runs as written;
//   - stub: its program needs an account (s, aliyun, aliyunlog) or is
//     not always installed (zip, openssl); a stub on PATH records the
//     call, and check says what the call must look like;
//   - elsewhere: it is run by another check, named in why.
//
// Rows are tried in order; the first whose pattern matches wins.
var readmeCommands = []readmeCommand{
	// "Try it on your account": -live reads a real account, so its tests
	// run the same command against the stand-in over TLS instead.
	{pattern: `^settings="-env [A-Z_]+=`, how: run},
	{pattern: `^go run \./internal/localrun -live `, how: elsewhere,
		why: "it needs a real account: TestLivePlan, TestLiveApply and TestLiveFailsFast (internal/localrun) run -live against the stand-in over TLS on loopback"},

	// "Two commands" and "Test it".
	{pattern: `^go run (-v )?\./internal/localrun( |$)`, how: run},
	{pattern: `^go test \./\.\.\.$`, how: elsewhere, why: ".ci/run runs the README's test command verbatim"},
	{pattern: `^go test -run '\^\$' -bench \. `, how: elsewhere,
		why: "the benchmarks run for many minutes; BENCHMARKS.md gives their figures and the same command"},

	// "First deployment: one ROS stack" and "s deploy instead".
	{pattern: `^export (REGION|BUCKET|DESTINATION_REGIONS|DRY_RUN)=[a-z0-9,.-]+$`, how: run},
	{pattern: `^export REGION=[a-z0-9-]+ ACCOUNT_ID=[0-9]{16}$`, how: run},
	{pattern: `^test -s \.sweep-created-after \|\| date -u \+%FT%TZ > \.sweep-created-after$`, how: run},
	{pattern: `^export SWEEP_CREATED_AFTER=\$\(cat \.sweep-created-after\)$`, how: run},
	{pattern: `^test -s token\.txt \|\| openssl rand -hex 32 > token\.txt$`, how: stub, check: args("openssl", "rand -hex 32")},
	{pattern: `^GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build .* -o target/main \./function$`, how: run},
	{pattern: `^\(cd target && zip -X \.\./function\.zip main\)$`, how: stub, check: args("zip", "-X ../function.zip main")},
	{pattern: `^aliyun oss cp function\.zip oss://`, how: stub, check: args("aliyun", "oss cp function.zip oss://my-bucket/image-distributor/function.zip --force")},
	{pattern: `^aliyun ros CreateStack `, how: stub, check: createStack},
	{pattern: `^export STACK_ID=\$\(sed `, how: run},
	{pattern: `^aliyun ros GetStack `, how: stub, check: args("aliyun", "ros GetStack --RegionId cn-shanghai --StackId 4a6c9851-3b0f-4f5f-b4ca-a14bf6910001")},
	{pattern: `^aliyun ros UpdateStack `, how: stub, check: updateStack},
	{pattern: `^aliyun ram (CreateRole|CreatePolicy|AttachPolicyToRole) `, how: stub, check: ramCall},
	{pattern: `^aliyun mns-open CreateQueue `, how: stub, check: args("aliyun", "mns-open CreateQueue --RegionId cn-shanghai --QueueName image-distributor-failed")},
	{pattern: `^aliyunlog log create_(project|logstore) `, how: stub, check: logCall},
	// "Alerts".
	{pattern: `^aliyunlog log update_index `, how: stub, check: logCall},
	{pattern: `^aliyunlog log create_alert `, how: stub, check: args("aliyunlog",
		"log create_alert --project=image-distributor-1234567890123456 --detail=file://alert.json --region-endpoint=cn-shanghai.log.aliyuncs.com")},
	{pattern: `^s deploy$`, how: stub, check: sDeploy},
	{pattern: `^s info$`, how: stub, check: args("s", "info")},

	// "Invoking by hand".
	{pattern: `^s invoke -f events/[a-z-]+\.json`, how: stub, check: sInvoke},
	{pattern: `^export URL=https://`, how: run, replace: `export URL="$README_TRIGGER_URL"`},
	{pattern: `^go run \./internal/fccall `, how: run, check: signedCall},
}

// args expects one call of prog with exactly these arguments.
func args(prog, want string) func(*testing.T, []stubCall) {
	return func(t *testing.T, calls []stubCall) {
		t.Helper()
		if len(calls) != 1 || calls[0].Prog != prog || strings.Join(calls[0].Args, " ") != want {
			t.Errorf("calls = %+v, want one: %s %s", calls, prog, want)
		}
	}
}

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// createStack: the template as it is in the repository, the code bucket,
// the regions, a deployment instant, the token's digest and a dry run.
func createStack(t *testing.T, calls []stubCall) {
	p := params(t, calls, "CreateStack")
	if p["TemplateBody"] != strings.TrimRight(readRepo(t, "template.yml"), "\n") { // $(cat) drops the last newline
		t.Error("CreateStack's TemplateBody is not template.yml")
	}
	want := map[string]*regexp.Regexp{"CodeBucket": regexp.MustCompile(`^my-bucket$`), "DestinationRegions": regexp.MustCompile(`^cn-hangzhou,cn-beijing$`),
		"SweepCreatedAfter": rfc3339, "HTTPTokenSHA256": regexp.MustCompile(`^[0-9a-f]{64}$`), "DryRun": regexp.MustCompile(`^true$`)}
	for k, re := range want {
		if !re.MatchString(p["param:"+k]) {
			t.Errorf("CreateStack parameter %s = %q, want %s", k, p["param:"+k], re)
		}
	}
}

// updateStack keeps every earlier parameter, SweepCreatedAfter included,
// and turns the dry run off.
func updateStack(t *testing.T, calls []stubCall) {
	p := params(t, calls, "UpdateStack")
	if p["UsePreviousParameters"] != "true" || p["param:DryRun"] != "false" || p["param:SweepCreatedAfter"] != "" {
		t.Errorf("UpdateStack = %v, want UsePreviousParameters true and only DryRun false", p)
	}
}

func ramCall(t *testing.T, calls []stubCall) {
	if len(calls) != 1 || calls[0].Prog != "aliyun" || !strings.Contains(strings.Join(calls[0].Args, " "), "image-distributor") {
		t.Errorf("calls = %+v, want one aliyun ram call naming image-distributor", calls)
	}
	for i, a := range calls[0].Args {
		if a == "--PolicyDocument" && !strings.Contains(calls[0].Args[i+1], "acs:mns:cn-shanghai:1234567890123456:/queues/image-distributor-failed/messages") {
			t.Errorf("PolicyDocument = %s, want role-policy.json with the region and account filled in", calls[0].Args[i+1])
		}
	}
}

func logCall(t *testing.T, calls []stubCall) {
	if len(calls) != 1 || calls[0].Prog != "aliyunlog" || !strings.Contains(strings.Join(calls[0].Args, " "), "--project_name=image-distributor-1234567890123456 ") {
		t.Errorf("calls = %+v, want one aliyunlog call on the project image-distributor-<account-id>", calls)
	}
}

// sDeploy: the first deployment is dry, with its regions and the instant
// kept in .sweep-created-after, as s.yaml reads them from the shell.
func sDeploy(t *testing.T, calls []stubCall) {
	args("s", "deploy")(t, calls)
	if len(calls) != 1 {
		return
	}
	env := calls[0].Env
	if env["DRY_RUN"] != "true" || env["DESTINATION_REGIONS"] != "cn-hangzhou,cn-beijing" || !rfc3339.MatchString(env["SWEEP_CREATED_AFTER"]) {
		t.Errorf("s deploy ran with %v, want DRY_RUN=true, the regions and an RFC 3339 SWEEP_CREATED_AFTER", env)
	}
}

func sInvoke(t *testing.T, calls []stubCall) {
	if len(calls) != 1 || calls[0].Prog != "s" || len(calls[0].Args) < 3 {
		t.Fatalf("calls = %+v, want one s invoke -f FILE", calls)
	}
	readRepo(t, calls[0].Args[2]) // the sample exists
}
