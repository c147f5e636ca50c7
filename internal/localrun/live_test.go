package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/image-distributor/image-distributor/internal/profile"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// The key the live tests find in a temporary ~/.aliyun/config.json, with
// a secret and token distinctive enough to be looked for in the output.
var liveKey = appstreamtest.Credential{AccessKeyID: "LTAI5tLiveTestKey9x",
	AccessKeySecret: "live-Secret/8Hq2Zr7Kw3Vp+Mx", SecurityToken: "CAISliveToken4Nf8Tq2=="}

// writeProfile writes an aliyun CLI configuration holding liveKey as a
// StsToken profile, the current one, in a new HOME.
func writeProfile(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	cfg := fmt.Sprintf(`{"current":"dev","profiles":[{"name":"other","mode":"AK","access_key_id":"LTAIother","access_key_secret":"x"},
		{"name":"dev","mode":"StsToken","access_key_id":%q,"access_key_secret":%q,"sts_token":%q,"region_id":"cn-shanghai"}]}`,
		liveKey.AccessKeyID, liveKey.AccessKeySecret, liveKey.SecurityToken)
	if err := os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, profile.CLIConfig), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return home
}

// goEnv keeps the child's go command on the real caches when HOME moves,
// so that it neither rebuilds everything nor downloads a module.
var goEnv = sync.OnceValues(func() ([]string, error) {
	out, err := exec.Command("go", "env", "GOCACHE", "GOMODCACHE", "GOPATH").Output()
	if err != nil {
		return nil, err
	}
	v := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(v) != 3 {
		return nil, fmt.Errorf("go env: %q", out)
	}
	return []string{"GOCACHE=" + v[0], "GOMODCACHE=" + v[1], "GOPATH=" + v[2], "GOPROXY=off"}, nil
})

// runLiveChild runs localrun as its own process (the test binary as main,
// see TestMain), so that SSL_CERT_FILE is read fresh as Go reads it, with
// HOME at home and no ALIBABA_CLOUD_* variable unless extra sets one.
func runLiveChild(t *testing.T, home, caFile string, extra []string, args ...string) runResult {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ge, err := goEnv()
	if err != nil {
		t.Fatal(err)
	}
	env := []string{asMain + "=1", "HOME=" + home}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, "ALIBABA_CLOUD_") && !strings.HasPrefix(k, "SSL_CERT_") && k != "HOME" {
			env = append(env, kv)
		}
	}
	env = append(append(env, ge...), extra...)
	if caFile != "" {
		env = append(env, "SSL_CERT_FILE="+caFile)
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Env = env
	var out, errs strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errs
	err = cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r := runResult{code, out.String(), errs.String()}
	if leaked := sandbox.Reveals(r.stdout+r.stderr, liveKey.AccessKeySecret, liveKey.SecurityToken); len(leaked) > 0 {
		t.Errorf("the output reveals %q:\n%s\n%s", leaked, r.stdout, r.stderr)
	}
	// The guard is the last line of defence; nothing should have needed it.
	if strings.Contains(r.stdout+r.stderr, removedSecret) {
		t.Errorf("the guard removed a secret from the output:\n%s\n%s", r.stdout, r.stderr)
	}
	return r
}

// tlsStandIn serves the stand-in over TLS on loopback and writes its
// certificate where SSL_CERT_FILE can name it.
func tlsStandIn(t *testing.T, accept appstreamtest.Credential) (*appstreamtest.Server, string) {
	t.Helper()
	srv := appstreamtest.NewTLS(accept)
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, srv.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, ca
}

func endpointArg(srv *appstreamtest.Server) string {
	return "APPSTREAM_ENDPOINT=" + srv.URL()
}

// plant catalogues n good images and, if odd, one image per oddity, the
// one whose field has another type last (the oldest), on page 2 when n is
// 100, so that the function, which refuses that page, still lists page 1.
func plant(srv *appstreamtest.Server, n int, odd bool) {
	day := time.Now().Add(-24 * time.Hour)
	add := func(id string, age time.Duration, fields map[string]string) {
		raw := map[string]json.RawMessage{}
		for k, v := range fields {
			if v == "" {
				raw[k] = nil
			} else {
				raw[k] = json.RawMessage(v)
			}
		}
		srv.AddImage(appstreamtest.Image{ImageID: id, ImageName: "live-" + id, ProductType: "CloudApp",
			HomeRegion: "cn-shanghai", Created: day.Add(-age), Fields: raw})
	}
	for i := range n {
		add(fmt.Sprintf("imgc-good%03d", i), time.Duration(i)*time.Second, nil)
	}
	srv.MarkDistributed("imgc-good000", "cn-hangzhou", "cn-beijing")
	if !odd {
		return
	}
	add("imgc-oddtime", time.Hour, map[string]string{"GmtCreate": `"2025/04/25 15:13:57"`})
	add("imgc-oddstatus", time.Hour, map[string]string{"ImageRegionDistributeList": `[{"RegionId":"cn-beijing","Status":"FINISHED","VersionId":"iv-oddstatus","Progress":"100%"}]`})
	add("imgc-oddversion", time.Hour, map[string]string{"VersionId": ""})
	// Both listed regions hold copies, so planning cannot tell which is home.
	// Planning reads only pages the parser takes, so the two images whose
	// home is a planning finding are the newest, on page 1.
	add("imgc-oddhome", -time.Minute, map[string]string{"ImageRegionList": `["cn-shanghai","cn-beijing"]`, "ImageRegionDistributeList": `[{"RegionId":"cn-shanghai","Status":"AVAILABLE","VersionId":"iv-oddhome","Progress":"100%"},{"RegionId":"cn-beijing","Status":"AVAILABLE","VersionId":"iv-oddhome","Progress":"100%"}]`})
	add("imgc-oddcopies", -time.Minute, map[string]string{"ImageRegionList": `["cn-shanghai","cn-hangzhou"]`, "ImageRegionDistributeList": ""})
	add("imgc-oddtype", 48*time.Hour, map[string]string{"ImageName": `42`})
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}
