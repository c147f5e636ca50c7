package config

import (
	"encoding/json"
	"errors"

	"github.com/rs/zerolog"
)

// Secret holds a credential. Its String and zerolog forms are redacted so a
// log line or an error that includes it by accident shows nothing.
type Secret string

// Reveal returns the value, for the one place that signs requests.
func (s Secret) Reveal() string { return string(s) }

// String redacts.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// GoString redacts %#v too.
func (s Secret) GoString() string { return s.String() }

// MarshalJSON redacts JSON too, which is also what zerolog's Interface and
// Any write, so logging a whole Config cannot leak a credential.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// Credentials sign API requests: an AccessKey pair, with an STS token when
// the pair is temporary (always, in Function Compute).
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret Secret
	SecurityToken   Secret
}

// Empty reports whether no credentials are set.
func (c Credentials) Empty() bool { return c.AccessKeyID == "" }

// MarshalZerologObject logs only the key ID, which identifies the role
// session without granting anything.
func (c Credentials) MarshalZerologObject(e *zerolog.Event) {
	e.Str("access_key_id", c.AccessKeyID)
}

// LoadCredentials reads a key from the environment, as the function does
// outside FC and as Alibaba Cloud's tools do first: empty when none is set.
func LoadCredentials(getenv func(string) string) (Credentials, error) {
	c := Credentials{
		AccessKeyID:     getenv(EnvAccessKeyID),
		AccessKeySecret: Secret(getenv(EnvAccessKeySecret)),
		SecurityToken:   Secret(getenv(EnvSecurityToken)),
	}
	if (c.AccessKeyID == "") != (c.AccessKeySecret == "") {
		return Credentials{}, errors.New(EnvAccessKeyID + " and " + EnvAccessKeySecret + " must be set together")
	}
	if c.Empty() && c.SecurityToken != "" {
		return Credentials{}, errors.New(EnvSecurityToken + " is set without " + EnvAccessKeyID + " and " + EnvAccessKeySecret)
	}
	return c, nil
}
