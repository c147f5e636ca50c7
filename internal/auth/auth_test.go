package auth_test

import (
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/image-distributor/image-distributor/internal/auth"
)

func digest(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func TestCheck(t *testing.T) {
	const token = "s3cr3t-token"
	good := digest(token)
	tests := []struct {
		name   string
		header string
		digest []byte
		ok     bool
	}{
		{"nil digest accepts anything", "", nil, true},
		{"nil digest ignores a wrong token", "nope", nil, true},
		{"right token", token, good, true},
		{"spaces around the token", "  " + token + "  ", good, true},
		{"wrong token", "wrong", good, false},
		{"token prefix", token[:4], good, false},
		{"token with suffix", token + "x", good, false},
		{"missing header", "", good, false},
		{"blank header", "   ", good, false},
		{"bearer scheme is not part of the token", "Bearer " + token, good, false},
		{"space inside token", "s3cr3t token", good, false},
		{"digest as token", string(good), good, false},
		{"empty non-nil digest", token, []byte{}, false},
		{"short digest", token, good[:16], false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := auth.Check(tc.header, tc.digest)
			if tc.ok {
				if err != nil {
					t.Errorf("Check(%q) = %v, want nil", tc.header, err)
				}
				return
			}
			if !errors.Is(err, auth.ErrUnauthorized) {
				t.Errorf("Check(%q) = %v, want %v", tc.header, err, auth.ErrUnauthorized)
			}
		})
	}
}

func TestErrorDoesNotSayWhy(t *testing.T) {
	good := digest("t")
	missing := auth.Check("", good)
	wrong := auth.Check("x", good)
	if missing == nil || wrong == nil || missing.Error() != wrong.Error() {
		t.Errorf("missing token error %v and wrong token error %v, want the same error", missing, wrong)
	}
}
