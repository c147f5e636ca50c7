package config_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/config"
)

const (
	keyID  = "STS.NUkey1d"
	secret = "Sup3rS3cretValue"
	token  = "CAIS-sts-token-value"
)

func testCredentials() config.Credentials {
	return config.Credentials{AccessKeyID: keyID, AccessKeySecret: secret, SecurityToken: token}
}

func assertNoSecrets(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range []string{secret, token} {
		if strings.Contains(out, s) {
			t.Errorf("%s = %q, reveals %q", what, out, s)
		}
	}
}

func TestSecretFormatting(t *testing.T) {
	c := testCredentials()
	cfg := config.Config{Credentials: c}
	for _, verb := range []string{"%v", "%+v", "%s", "%#v", "%q", "%x"} {
		t.Run(verb, func(t *testing.T) {
			for name, v := range map[string]any{"secret": c.AccessKeySecret, "credentials": c, "config": cfg, "pointer": &cfg} {
				assertNoSecrets(t, fmt.Sprintf("Sprintf(%q, %s)", verb, name), fmt.Sprintf(verb, v))
			}
		})
	}
	if got := config.Secret("").String(); got != "" {
		t.Errorf("Secret(\"\").String() = %q, want empty, so an unset secret looks unset", got)
	}
	if got := c.AccessKeySecret.Reveal(); got != secret {
		t.Errorf("Reveal() = %q, want %q", got, secret)
	}
}

func TestSecretJSONAndZerolog(t *testing.T) {
	c := testCredentials()
	logTo := func(f func(*zerolog.Event) *zerolog.Event) string {
		var buf bytes.Buffer
		log := zerolog.New(&buf)
		f(log.Info()).Msg("loaded")
		return buf.String()
	}
	tests := []struct {
		name string
		out  func() string
	}{
		{"credentials object", func() string { return logTo(func(e *zerolog.Event) *zerolog.Event { return e.Object("creds", c) }) }},
		{"credentials interface", func() string {
			return logTo(func(e *zerolog.Event) *zerolog.Event { return e.Interface("creds", c) })
		}},
		{"whole config", func() string {
			return logTo(func(e *zerolog.Event) *zerolog.Event { return e.Any("config", config.Config{Credentials: c}) })
		}},
		{"secret stringer", func() string {
			return logTo(func(e *zerolog.Event) *zerolog.Event { return e.Stringer("secret", c.AccessKeySecret) })
		}},
		{"secret interface", func() string {
			return logTo(func(e *zerolog.Event) *zerolog.Event { return e.Interface("secret", c.AccessKeySecret) })
		}},
		{"secret in a map", func() string {
			return logTo(func(e *zerolog.Event) *zerolog.Event {
				return e.Fields(map[string]any{"secret": c.AccessKeySecret, "token": c.SecurityToken})
			})
		}},
		{"json.Marshal", func() string { b, _ := json.Marshal(c); return string(b) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := tc.out()
			assertNoSecrets(t, tc.name, out)
			if !strings.Contains(out, "redacted") && !strings.Contains(out, keyID) {
				t.Errorf("%s = %q, want the redacted form or the key ID", tc.name, out)
			}
		})
	}
}

func TestCredentialsPairing(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    config.Credentials
		wantErr bool
	}{
		{"none", nil, config.Credentials{}, false},
		{"key pair", map[string]string{config.EnvAccessKeyID: keyID, config.EnvAccessKeySecret: secret},
			config.Credentials{AccessKeyID: keyID, AccessKeySecret: secret}, false},
		{"STS triple", map[string]string{config.EnvAccessKeyID: keyID, config.EnvAccessKeySecret: secret, config.EnvSecurityToken: token},
			testCredentials(), false},
		{"key ID alone", map[string]string{config.EnvAccessKeyID: keyID}, config.Credentials{}, true},
		{"secret alone", map[string]string{config.EnvAccessKeySecret: secret}, config.Credentials{}, true},
		{"key ID and token", map[string]string{config.EnvAccessKeyID: keyID, config.EnvSecurityToken: token}, config.Credentials{}, true},
		{"token alone", map[string]string{config.EnvSecurityToken: token}, config.Credentials{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(tc.env))
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), config.EnvAccessKeyID) || !strings.Contains(err.Error(), config.EnvAccessKeySecret) {
					t.Fatalf("Load(%v) = %v, want an error naming both variables", tc.env, err)
				}
				assertNoSecrets(t, "error", err.Error())
				return
			}
			if err != nil {
				t.Fatalf("Load(%v) = %v, want no error", tc.env, err)
			}
			if diff := cmp.Diff(tc.want, c.Credentials); diff != "" {
				t.Errorf("Load(%v).Credentials mismatch (-want +got):\n%s", tc.env, diff)
			}
			if got, want := c.Credentials.Empty(), tc.want.AccessKeyID == ""; got != want {
				t.Errorf("Empty() = %v, want %v", got, want)
			}
		})
	}
}

func TestTokenDigestErrorDoesNotEchoTheValue(t *testing.T) {
	const clear = "my-clear-bearer-token"
	_, err := config.Load(env(map[string]string{config.EnvHTTPTokenSHA256: clear}))
	if err == nil || strings.Contains(err.Error(), clear) {
		t.Errorf("Load(%s=<token in clear>) = %v, want an error that does not echo the token", config.EnvHTTPTokenSHA256, err)
	}
}
