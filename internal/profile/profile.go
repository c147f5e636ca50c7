// Package profile finds a developer's own Alibaba Cloud key the way
// Alibaba Cloud's tools do, for the commands run on that developer's
// machine (localrun -live, fccall); the deployed function never reads it.
package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/image-distributor/image-distributor/internal/config"
)

// The variables Alibaba Cloud's tools read credentials from (API-NOTES §8).
const (
	envKeyID   = config.EnvAccessKeyID
	envSecret  = config.EnvAccessKeySecret
	envToken   = config.EnvSecurityToken
	EnvProfile = "ALIBABA_CLOUD_PROFILE"
)

// CLIConfig is where the aliyun CLI keeps its profiles, under HOME.
const CLIConfig = ".aliyun/config.json"

// supportedModes are the aliyun CLI profile modes Find reads: the ones
// that hold a key outright. The others (RamRoleArn, EcsRamRole,
// RsaKeyPair, ChainableRamRoleArn, CredentialsURI, OIDC, External,
// CloudSSO, OAuth…) need a call to STS or a metadata service first.
var supportedModes = []string{"AK", "StsToken"}

// ErrNoCredentials names every way of giving credentials.
var ErrNoCredentials = errors.New("no credentials: set " + envKeyID + " and " + envSecret +
	" (and " + envToken + " for an STS key), or run `aliyun configure` to write ~/" + CLIConfig)

// Found is a key and where it came from, said without its secret.
type Found struct {
	Creds config.Credentials
	From  string
}

// Find looks where Alibaba Cloud's tools look: the environment
// first, then the aliyun CLI's profile (ALIBABA_CLOUD_PROFILE, else its
// current one) in home/.aliyun/config.json.
func Find(getenv func(string) string, home string) (Found, error) {
	c, err := config.LoadCredentials(getenv)
	switch {
	case err != nil:
		return Found{}, err
	case !c.Empty():
		from := "the environment (" + envKeyID + ", " + envSecret
		if c.SecurityToken != "" {
			from += ", " + envToken
		}
		return Found{c, from + ")"}, nil
	case home == "":
		return Found{}, ErrNoCredentials
	}
	path := filepath.Join(home, CLIConfig)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Found{}, ErrNoCredentials
	}
	if err != nil {
		return Found{}, fmt.Errorf("read %s: %w", path, errors.Unwrap(err))
	}
	return fromProfile(raw, path, getenv(EnvProfile))
}

type cliProfiles struct {
	Current  string `json:"current"`
	Profiles []struct {
		Name      string `json:"name"`
		Mode      string `json:"mode"`
		KeyID     string `json:"access_key_id"`
		KeySecret string `json:"access_key_secret"`
		STSToken  string `json:"sts_token"`
	} `json:"profiles"`
}

func fromProfile(raw []byte, path, name string) (Found, error) {
	var c cliProfiles
	if err := json.Unmarshal(raw, &c); err != nil {
		// A syntax or type error names a position or a field, never a value.
		return Found{}, fmt.Errorf("%s is not an aliyun CLI configuration: %w", path, err)
	}
	chosen := "ALIBABA_CLOUD_PROFILE"
	if name == "" {
		name, chosen = or(c.Current, "default"), "current"
	}
	var names []string
	for _, p := range c.Profiles {
		names = append(names, p.Name)
		if p.Name != name {
			continue
		}
		from := fmt.Sprintf("%s, profile %q (%s, mode %s)", path, name, chosen, or(p.Mode, "AK"))
		configure := "run `aliyun configure --profile " + name + "`"
		switch p.Mode {
		case "AK", "":
			if p.KeyID == "" || p.KeySecret == "" {
				return Found{}, fmt.Errorf("%s has no access_key_id or access_key_secret: %s", from, configure)
			}
			return Found{config.Credentials{AccessKeyID: p.KeyID, AccessKeySecret: config.Secret(p.KeySecret)}, from}, nil
		case "StsToken":
			if p.KeyID == "" || p.KeySecret == "" || p.STSToken == "" {
				return Found{}, fmt.Errorf("%s lacks access_key_id, access_key_secret or sts_token: %s --mode StsToken", from, configure)
			}
			return Found{config.Credentials{AccessKeyID: p.KeyID, AccessKeySecret: config.Secret(p.KeySecret), SecurityToken: config.Secret(p.STSToken)}, from}, nil
		}
		return Found{}, fmt.Errorf("%s: only %s profiles are read, which hold a key outright; for mode %s, export %s, %s and %s "+
			"(for a role, from `aliyun sts AssumeRole`), or choose another profile with %s",
			from, strings.Join(supportedModes, " and "), p.Mode, envKeyID, envSecret, envToken, EnvProfile)
	}
	return Found{}, fmt.Errorf("%s has no profile %q (%s; it has %s): %w", path, name, chosen, or(strings.Join(names, ", "), "none"), ErrNoCredentials)
}

// MaskKeyID shows enough of an AccessKey ID to recognise it. The ID grants
// nothing, but a run's output is pasted into bug reports.
func MaskKeyID(id string) string {
	if len(id) <= 8 {
		return "****"
	}
	return id[:4] + "****" + id[len(id)-4:]
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
