package config_test

import (
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/config"
)

// TestDebugSDKIsRefused: any DEBUG the SDK reads as "sdk" stops the
// instance with a message naming DEBUG and why; other values pass.
func TestDebugSDKIsRefused(t *testing.T) {
	tests := []struct {
		value   string
		refused bool
	}{
		{"", false},
		{"sdk", true},
		{"sdk,tea", true},
		{"tea,sdk", true},
		{"http,sdk,tea", true},
		{"sdk,", true},
		// The SDK matches whole parts exactly, so these print nothing.
		{"SDK", false},
		{"tea, sdk", false},
		{"sdkx", false},
		{"*", false},
		{"tea", false},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{config.EnvDebug: tc.value}))
			if !tc.refused {
				if err != nil {
					t.Fatalf("Load(DEBUG=%q) = %v, want no error", tc.value, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "DEBUG: ") || !strings.Contains(err.Error(), "STS token") {
				t.Fatalf("Load(DEBUG=%q) = %v, want an error naming DEBUG and the token it would leak", tc.value, err)
			}
		})
	}
}
