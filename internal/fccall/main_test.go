package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var testCred = Credential{"LTAI-test-id", "test-secret-Zm9v", "CAIS-test-token"}

// verifier stands in for FC's gateway on loopback: it recomputes the
// signature from the request as received, with the secret it knows, and
// answers 403 (no body) when anything differs, as the gateway does. Then
// it answers as the function would, echoing what it was given.
type verifier struct {
	secret string
	got    *http.Request
	body   []byte
	why    string // why the last request was refused
}

func (v *verifier) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	v.got, v.body = r, body
	if v.why = v.check(r, body); v.why != "" {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-fc-request-id", "req-1")
	io.WriteString(w, `{"imageId":"imgc-1","verdict":"complete","token":"`+r.Header.Get("X-Distributor-Token")+`"}`)
}

func (v *verifier) check(r *http.Request, body []byte) string {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, algorithm+" Credential=")
	if !ok {
		return "no ACS3 authorization"
	}
	id, rest, _ := strings.Cut(rest, ",SignedHeaders=")
	names, _, _ := strings.Cut(rest, ",Signature=")
	if d, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date")); err != nil || time.Since(d).Abs() > 15*time.Minute {
		return "date"
	}
	headers := map[string][]string{}
	for _, n := range strings.Split(names, ";") {
		if n == "host" {
			headers[n] = []string{r.Host}
			continue
		}
		headers[n] = r.Header.Values(n)
	}
	want := authorization(r.Method, r.URL.EscapedPath(), r.URL.Query(), headers, "",
		Credential{AccessKeyID: id, AccessKeySecret: v.secret})
	if auth != want {
		return "signature"
	}
	return ""
}

func callTrigger(t *testing.T, v *verifier, cred Credential, args ...string) (int, string, string) {
	t.Helper()
	srv := httptest.NewServer(v)
	defer srv.Close()
	env := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": cred.AccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": cred.AccessKeySecret,
		"ALIBABA_CLOUD_SECURITY_TOKEN": cred.SecurityToken}
	for i, a := range args {
		args[i] = strings.ReplaceAll(a, "URL", srv.URL)
	}
	var out, errs strings.Builder
	code := run(args, func(k string) string { return env[k] }, &out, &errs)
	return code, out.String(), errs.String()
}

func TestCallsSigned(t *testing.T) {
	token := filepath.Join(t.TempDir(), "token.txt")
	if err := os.WriteFile(token, []byte("s3cret-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("status query", func(t *testing.T) {
		v := &verifier{secret: testCred.AccessKeySecret}
		code, out, errs := callTrigger(t, v, testCred, "-token-file", token, "URL/?imageId=imgc-1&destinationRegions=cn-hangzhou,cn-beijing")
		if code != exitOK {
			t.Fatalf("exit %d, want 0 (verifier: %s); stderr: %s", code, v.why, errs)
		}
		if v.got.Method != http.MethodGet || v.got.Header.Get("x-acs-security-token") != testCred.SecurityToken {
			t.Errorf("sent %s with token %q, want GET with the STS token", v.got.Method, v.got.Header.Get("x-acs-security-token"))
		}
		if !strings.Contains(out, `"token": "s3cret-token"`) || !strings.Contains(errs, "-> 200 OK") {
			t.Errorf("stdout %q stderr %q, want the answer with the token sent, and the status", out, errs)
		}
		if strings.Contains(v.got.Header.Get("Authorization"), "x-distributor-token") {
			t.Error("the distributor token is inside the signature; it belongs next to it")
		}
	})
	t.Run("distribution", func(t *testing.T) {
		v := &verifier{secret: testCred.AccessKeySecret}
		code, _, errs := callTrigger(t, v, testCred, "-d", `{"imageId":"imgc-1","destinationRegions":["cn-hangzhou"]}`, "URL/")
		if code != exitOK || v.got.Method != http.MethodPost || string(v.body) != `{"imageId":"imgc-1","destinationRegions":["cn-hangzhou"]}` {
			t.Fatalf("exit %d, %s %s; stderr: %s", code, v.got.Method, v.body, errs)
		}
		if !strings.Contains(v.got.Header.Get("Authorization"), "SignedHeaders=content-type;x-acs-date;x-acs-security-token,") {
			t.Errorf("Authorization = %s, want content-type and the x-acs-* headers signed, as FC's guide does", v.got.Header.Get("Authorization"))
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		v := &verifier{secret: "another-secret"}
		code, _, errs := callTrigger(t, v, testCred, "URL/")
		if code != exitFailed || v.why != "signature" || !strings.Contains(errs, "403 from the gateway") {
			t.Errorf("exit %d, verifier %q, stderr %q; want 1 and the gateway's 403 explained", code, v.why, errs)
		}
	})
}

func TestRefuses(t *testing.T) {
	tests := []struct {
		name string
		cred Credential
		args []string
		want string
	}{
		{"no credentials", Credential{}, []string{"URL/"}, "set ALIBABA_CLOUD_ACCESS_KEY_ID"},
		{"plain http elsewhere", testCred, []string{"http://abc.cn-shanghai.fcapp.run/"}, "only https is accepted"},
		{"no URL", testCred, nil, "want one URL"},
		{"repeated parameter", testCred, []string{"URL/?destinationRegions=a&destinationRegions=b"}, "destinationRegions is given 2 times"},
		{"empty parameter", testCred, []string{"URL/?imageId="}, "imageId is empty"},
		{"body not JSON", testCred, []string{"-d", "imageId=imgc-1", "URL/"}, "not JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := &verifier{secret: testCred.AccessKeySecret}
			code, _, errs := callTrigger(t, v, tc.cred, tc.args...)
			if code != exitUsage || !strings.Contains(errs, tc.want) || v.got != nil {
				t.Errorf("exit %d, stderr %q, sent %v; want 2, %q, nothing sent", code, errs, v.got != nil, tc.want)
			}
		})
	}
}

// TestCredentialsFromTheCLIProfile: with no key in the environment, the
// aliyun CLI's current profile signs the call, as it does for -live.
func TestCredentialsFromTheCLIProfile(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := `{"current":"dev","profiles":[{"name":"dev","mode":"StsToken","access_key_id":"` + testCred.AccessKeyID +
		`","access_key_secret":"` + testCred.AccessKeySecret + `","sts_token":"` + testCred.SecurityToken + `"}]}`
	if err := os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	v := &verifier{secret: testCred.AccessKeySecret}
	srv := httptest.NewServer(v)
	defer srv.Close()
	var out, errs strings.Builder
	code := run([]string{srv.URL + "/"}, func(k string) string { return map[string]string{"HOME": home}[k] }, &out, &errs)
	if code != exitOK || v.got.Header.Get("x-acs-security-token") != testCred.SecurityToken {
		t.Errorf("exit %d (verifier: %s), token %q; want a call signed with the profile's key and token; stderr: %s",
			code, v.why, v.got.Header.Get("x-acs-security-token"), errs.String())
	}
}

// TestRedirectIsNotFollowed: Go's client would follow a redirect with the
// distributor token and the STS token in its headers, to any host and over
// plain http; fccall stops at it and fails.
func TestRedirectIsNotFollowed(t *testing.T) {
	var leaked atomic.Bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(true)
	}))
	defer elsewhere.Close()
	trigger := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/steal", http.StatusTemporaryRedirect)
	}))
	defer trigger.Close()
	token := filepath.Join(t.TempDir(), "token.txt")
	if err := os.WriteFile(token, []byte("s3cret-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": testCred.AccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": testCred.AccessKeySecret,
		"ALIBABA_CLOUD_SECURITY_TOKEN": testCred.SecurityToken}
	var out, errs strings.Builder
	code := run([]string{"-token-file", token, trigger.URL + "/"}, func(k string) string { return env[k] }, &out, &errs)
	if code != exitFailed || leaked.Load() || !strings.Contains(errs.String(), "not followed") {
		t.Errorf("exit %d, followed %v, stderr %q; want 1, not followed, and said so", code, leaked.Load(), errs.String())
	}
}
