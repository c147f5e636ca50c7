package sandbox_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// TestEnv checks what the function is started with: DefaultEnv for the
// tests, or only BaseEnv when one is given (the local-run presets), and
// always the stand-in's endpoint; an empty override removes a variable.
func TestEnv(t *testing.T) {
	bin, err := exec.LookPath("true") // any program: only its environment is read
	if err != nil {
		t.Skip("no true command")
	}
	tests := []struct {
		name       string
		opts       sandbox.Options
		want, gone []string
	}{
		{"default", sandbox.Options{Env: map[string]string{"DRY_RUN": "true", "LOG_LEVEL": ""}},
			[]string{"DESTINATION_REGIONS_BY_PRODUCT=", "ALLOWED_REGIONS=", "DRY_RUN=true"}, []string{"LOG_LEVEL="}},
		{"base", sandbox.Options{BaseEnv: map[string]string{"DESTINATION_REGIONS": "cn-beijing"}, Env: map[string]string{"DRY_RUN": "true"}},
			[]string{"DESTINATION_REGIONS=cn-beijing", "DRY_RUN=true"}, []string{"ALLOWED_REGIONS=", "LOG_LEVEL=", "DESTINATION_REGIONS_BY_PRODUCT="}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Binary = bin
			sb, err := sandbox.Start(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer sb.Close()
			env := sb.Proc.Env()
			has := func(prefix string) bool {
				return slices.ContainsFunc(env, func(kv string) bool { return strings.HasPrefix(kv, prefix) })
			}
			for _, w := range append(tc.want, sandbox.EndpointVariable+"="+sb.API.URL()) {
				if !has(w) {
					t.Errorf("environment lacks %s: %q", w, env)
				}
			}
			for _, g := range tc.gone {
				if has(g) {
					t.Errorf("environment has %s: %q", g, env)
				}
			}
		})
	}
}
