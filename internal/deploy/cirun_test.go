package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCIRunStopsEarlyAndSays: where gcc is missing and apt-get cannot
// install it, .ci/run stops before any go command, naming the step and
// why (issue 18: it failed 104 s in, with apt's exit 100 and nothing of
// its own).
func TestCIRunStopsEarlyAndSays(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("needs bash")
	}
	bin := t.TempDir()
	for _, c := range []string{"dirname", "id", "env"} {
		p, err := exec.LookPath(c)
		if err != nil {
			t.Skipf("needs %s", c)
		}
		if err := os.Symlink(p, filepath.Join(bin, c)); err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!"+bash+"\n"+body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("apt-get", "echo 'E: Could not open lock file' >&2\nexit 100\n")
	write("sudo", `exec "$@"`+"\n")
	write("go", "echo go was run >&2\nexit 3\n")
	cmd := exec.Command(bash, filepath.Join("..", "..", ".ci", "run"))
	cmd.Env = []string{"PATH=" + bin}
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err == nil || code != 1 {
		t.Fatalf(".ci/run exit %d (%v), want 1:\n%s", code, err, out)
	}
	for _, want := range []string{"== .ci/run: checking for a C compiler", "E: Could not open lock file",
		".ci/run: stopped: apt-get could not install gcc and libc6-dev"} {
		if !strings.Contains(string(out), want) {
			t.Errorf(".ci/run output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "go was run") {
		t.Errorf(".ci/run ran go before it knew it could finish:\n%s", out)
	}
}
