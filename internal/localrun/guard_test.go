package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// The guard removes a secret in every form the tests look for, and leaves
// the rest alone.
func TestGuard(t *testing.T) {
	secret := "gu4rd-Secret/Value+0123456789"
	var out strings.Builder
	g := newGuard(&out, []string{secret, ""})
	for _, f := range sandbox.SecretForms(secret) {
		fmt.Fprintf(g, "before %s after\n", f)
	}
	if leaked := sandbox.Reveals(out.String(), secret); len(leaked) > 0 {
		t.Errorf("guard output reveals %q:\n%s", leaked, out.String())
	}
	if n := strings.Count(out.String(), "before "+removedSecret+" after\n"); n != len(sandbox.SecretForms(secret)) {
		t.Errorf("guard output =\n%s\nwant every line with the secret removed and the rest kept", out.String())
	}
}
