package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestPrintEnv(t *testing.T) {
	env := []string{"FC_RUNTIME_API=127.0.0.1:1", "PATH=/bin", "HOME=/root", "HOME=/home/x", "APPSTREAM_ENDPOINT=http://127.0.0.1:2",
		"DESTINATION_REGIONS=cn-beijing", "FC_FUNCTION_NAME=image-distributor", "DRY_RUN=true",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET=hunter2-is-secret", "MY_TOKEN=tok-123456", "HTTP_TOKEN_SHA256=abc"}
	set := map[string]string{"DESTINATION_REGIONS": "cn-beijing", "DRY_RUN": "true", "FC_REGION": "",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "hunter2-is-secret", "API_QPS": "2"}
	shell := map[string]string{"API_QPS": "2"}
	env = append(env, "API_QPS=2")
	var b strings.Builder
	printEnv(&b, env, set, shell)
	out := b.String()
	want := []string{
		`(?m)^  stand-in +APPSTREAM_ENDPOINT=http://127.0.0.1:2 `,
		`(?m)^  -env +DESTINATION_REGIONS=cn-beijing \(instead of the preset cn-hangzhou,cn-beijing\)$`,
		`(?m)^  -env +DRY_RUN=true$`,
		`(?m)^  preset +FC_FUNCTION_NAME=image-distributor \(FC sets it\)$`,
		`(?m)^  -env +FC_REGION= \(removes the preset cn-shanghai\)$`,
		`(?m)^  shell +API_QPS=2$`,
		`(?m)^  -env +ALIBABA_CLOUD_ACCESS_KEY_SECRET=\[redacted, 17 characters\]$`,
		`(?m)^  .* HTTP_TOKEN_SHA256=abc`,
		`(?m)^  FC context +credentials: key STS\.sandboxKeyID7f3a9c, secret \[redacted`,
	}
	for _, w := range want {
		if !regexp.MustCompile(w).MatchString(out) {
			t.Errorf("printEnv lacks a line matching %s:\n%s", w, out)
		}
	}
	// Issue 18: the listing is the function's settings, not the process's
	// whole environment (a 260-character PATH buried them).
	for _, other := range []string{"HOME=", "PATH=", "FC_RUNTIME_API=", "MY_TOKEN"} {
		if strings.Contains(out, other) {
			t.Errorf("printEnv shows %s, which is no setting:\n%s", other, out)
		}
	}
	for _, secret := range []string{"hunter2", "tok-123456", "sandbox-secret", "sandbox-token"} {
		if strings.Contains(out, secret) {
			t.Errorf("printEnv shows the secret %q:\n%s", secret, out)
		}
	}
}

// TestREADMEDocumentsPresets keeps the README's list of presets, in its
// "Two commands" section, the same as the code's.
func TestREADMEDocumentsPresets(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(b), "\n## Two commands\n")
	section, _, _ = strings.Cut(section, "\n## ")
	names := []string{endpointVariable}
	for _, p := range presets() {
		names = append(names, p.name)
	}
	for _, name := range names {
		if !strings.Contains(section, "`"+name) {
			t.Errorf("README's Two commands section does not name the preset %s", name)
		}
	}
	for _, p := range presets() {
		if len(p.value) < 40 && !strings.Contains(section, p.value) {
			t.Errorf("README's Two commands section does not give the preset %s=%s", p.name, p.value)
		}
	}
}
