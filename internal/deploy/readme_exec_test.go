package deploy_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMECommands runs every shell command of the README once, in
// order, in one shell, as a reader pasting them would: commands that need
// no account as written, the cloud tools as stubs on PATH that record
// each call for its row's check, and the deployed HTTP trigger as a
// stand-in on loopback. It fails when a command fails or its call has
// drifted from what the deployment files and the code expect.
func TestREADMECommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's commands: localrun, go build, fccall (about a minute on 2 cores)")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("needs bash")
	}
	readme := readRepo(t, "README.md")
	dir, stubDir := t.TempDir(), t.TempDir()
	for _, name := range []string{"go.mod", "go.sum", "function", "internal", "events", "template.yml", "s.yaml"} {
		abs, err := filepath.Abs(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(abs, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	writeRolePolicy(t, readme, filepath.Join(dir, "role-policy.json"))
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stubs {
		if err := os.Symlink(self, filepath.Join(stubDir, s)); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(t.TempDir(), "calls.jsonl")
	srv := trigger(log, dir)
	defer srv.Close()

	var script strings.Builder
	script.WriteString("set -euo pipefail\n")
	cmds := readmeShell(t, readme)
	for _, c := range cmds {
		i, ok := rowFor(c.cmd)
		if !ok {
			t.Fatalf("README.md:%d: %q is not in readmeCommands (see TestREADMECommandsKnown)", c.line, c.cmd)
		}
		r := readmeCommands[i]
		fmt.Fprintf(&script, "printf '%%s\\n' '{\"line\":%d}' >> \"$%s\"\n", c.line, stubLog)
		switch {
		case r.how == elsewhere:
			fmt.Fprintf(&script, ": %q\n", r.why)
		case r.replace != "":
			script.WriteString(r.replace + "\n")
		default:
			script.WriteString(c.cmd + "\n")
		}
	}
	cmd := exec.CommandContext(t.Context(), bash, "-c", script.String())
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+stubDir+string(os.PathListSeparator)+os.Getenv("PATH"), stubLog+"="+log,
		"README_TRIGGER_URL="+srv.URL, "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI-readme-test",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET=readme-test-secret", "ALIBABA_CLOUD_SECURITY_TOKEN=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's commands failed: %v\n%s", err, out)
	}
	calls := readLog(t, log)
	for _, c := range cmds {
		i, _ := rowFor(c.cmd)
		r := readmeCommands[i]
		got, ran := calls[c.line]
		if !ran {
			t.Errorf("README.md:%d: %q never ran", c.line, c.cmd)
			continue
		}
		if r.how == stub && len(got) == 0 {
			t.Errorf("README.md:%d: %q made no call to its stub", c.line, c.cmd)
		}
		if r.check != nil {
			t.Run(fmt.Sprintf("line %d", c.line), func(t *testing.T) { r.check(t, got) })
		}
	}
}

// writeRolePolicy saves the README's role policy as the s deploy steps
// tell the reader to: <region> and <account-id> filled in.
func writeRolePolicy(t *testing.T, readme, path string) {
	t.Helper()
	m := regexp.MustCompile("(?s)```json\n(\\s*\\{\"Version\": \"1\", \"Statement\".*?)```").FindStringSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no role policy")
	}
	doc := strings.NewReplacer("<region>", "cn-shanghai", "<account-id>", "1234567890123456").Replace(m[1])
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
}
