package profile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFindCredentials(t *testing.T) {
	profiles := `{"current":"ak","profiles":[
		{"name":"ak","mode":"AK","access_key_id":"LTAIakProfile01","access_key_secret":"ak-Secret-Value-0001"},
		{"name":"sts","mode":"StsToken","access_key_id":"STS.stsProfile01","access_key_secret":"sts-Secret-Value-001","sts_token":"sts-Token-Value-0001"},
		{"name":"role","mode":"RamRoleArn","access_key_id":"LTAIrole","access_key_secret":"role-Secret-Value-01","ram_role_arn":"acs:ram::1:role/x"},
		{"name":"empty","mode":"AK"}]}`
	tests := []struct {
		name           string
		env            map[string]string
		config         string // "" for no file
		wantID, wantOK string // wantOK: in from; else wantErr: in the error
		wantErr        string
	}{
		{"environment", map[string]string{envKeyID: "LTAIenv", envSecret: "env-secret"}, profiles, "LTAIenv", "the environment", ""},
		{"environment with a token", map[string]string{envKeyID: "STS.env", envSecret: "s", envToken: "t"}, "", "STS.env", envToken, ""},
		{"half the environment", map[string]string{envKeyID: "LTAIenv"}, profiles, "", "", "must be set together"},
		{"a token without a key", map[string]string{envToken: "t"}, profiles, "", "", envToken + " is set without"},
		{"current profile", nil, profiles, "LTAIakProfile01", `profile "ak" (current, mode AK)`, ""},
		{"named profile", map[string]string{EnvProfile: "sts"}, profiles, "STS.stsProfile01", `profile "sts" (ALIBABA_CLOUD_PROFILE, mode StsToken)`, ""},
		{"unsupported mode", map[string]string{EnvProfile: "role"}, profiles, "", "", "only AK and StsToken profiles are read"},
		{"profile without a key", map[string]string{EnvProfile: "empty"}, profiles, "", "", "aliyun configure --profile empty"},
		{"no such profile", map[string]string{EnvProfile: "prod"}, profiles, "", "", `has no profile "prod"`},
		{"no file", nil, "", "", "", "run `aliyun configure`"},
		{"not JSON", nil, `{"current":"ak","profiles":[{"access_key_secret":"half-Written-Secret`, "", "", "is not an aliyun CLI configuration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home := t.TempDir()
			if tc.config != "" {
				os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700)
				if err := os.WriteFile(filepath.Join(home, CLIConfig), []byte(tc.config), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			f, err := Find(func(k string) string { return tc.env[k] }, home)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Find() error = %v, want one containing %q", err, tc.wantErr)
				}
				for _, secret := range []string{"Secret-Value", "Token-Value", "half-Written"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("the error reveals a secret: %v", err)
					}
				}
				return
			}
			if err != nil || f.Creds.AccessKeyID != tc.wantID || !strings.Contains(f.From, tc.wantOK) {
				t.Errorf("Find() = %s from %q, %v; want %s from %q", f.Creds.AccessKeyID, f.From, err, tc.wantID, tc.wantOK)
			}
		})
	}
}
