// Command fccall calls the deployed function's HTTP trigger the way FC's
// gateway requires for authType function: signed with your own Alibaba
// Cloud credentials (ACS3-HMAC-SHA256), plus the X-Distributor-Token
// header when the function checks one.
//
//	go run ./internal/fccall [-token-file FILE] [-d JSON | -d @FILE] URL
//
// Without -d it asks (GET) where images are; with -d it starts a
// distribution (POST). The credentials are found as Alibaba Cloud's tools
// find them (package profile): ALIBABA_CLOUD_ACCESS_KEY_ID,
// ALIBABA_CLOUD_ACCESS_KEY_SECRET and, for STS credentials,
// ALIBABA_CLOUD_SECURITY_TOKEN; else the aliyun CLI's profile.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/profile"
)

const (
	exitOK     = 0
	exitFailed = 1 // the call failed, or was answered with a redirect or 400 or more
	exitUsage  = 2
)

// noRedirects answers a redirect as it is: Go's client would follow it and
// copy the distributor token and the STS token to the host it names, over
// plain http too, and a trigger URL never redirects.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// timeout leaves room for the function's own 300 s.
const timeout = 310 * time.Second

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fccall", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tokenFile := fs.String("token-file", "", "a file holding the token whose SHA-256 is HTTP_TOKEN_SHA256; sent as X-Distributor-Token")
	data := fs.String("d", "", "the POST body: JSON, or @FILE; without it the call is a GET")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: go run ./internal/fccall [-token-file FILE] [-d JSON | -d @FILE] URL")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	req, body, err := build(fs.Args(), *tokenFile, *data, getenv)
	if err != nil {
		fmt.Fprintln(stderr, "fccall:", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	resp, err := noRedirects.Do(req.WithContext(ctx))
	if err != nil {
		fmt.Fprintln(stderr, "fccall:", err)
		return exitFailed
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		fmt.Fprintln(stderr, "fccall: reading the answer:", err)
		return exitFailed
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, answer, "", "  ") == nil {
		answer = pretty.Bytes()
	}
	fmt.Fprintf(stderr, "fccall: %s %s (%d bytes sent) -> %s\n", req.Method, req.URL.Redacted(), len(body), resp.Status)
	fmt.Fprintln(stdout, strings.TrimSuffix(string(answer), "\n"))
	switch {
	case resp.StatusCode == http.StatusForbidden && resp.Header.Get("x-fc-request-id") == "" && !json.Valid(answer):
		fmt.Fprintln(stderr, "fccall: 403 from the gateway: the signature was refused, or your RAM identity may not invoke the function (fc:InvokeFunction)")
	case resp.StatusCode == http.StatusUnauthorized:
		fmt.Fprintln(stderr, "fccall: 401 from the function: give the token with -token-file (HTTP_TOKEN_SHA256 is set)")
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		fmt.Fprintf(stderr, "fccall: a redirect to %q, not followed: the tokens go to the trigger URL alone; check the URL\n", resp.Header.Get("Location"))
	}
	if resp.StatusCode >= 300 {
		return exitFailed
	}
	return exitOK
}

// build makes the signed request. It refuses plain HTTP except on
// loopback: the signature proves who asks, but only TLS keeps the token
// and the answer private.
func build(args []string, tokenFile, data string, getenv func(string) string) (*http.Request, []byte, error) {
	if len(args) != 1 {
		return nil, nil, errors.New("want one URL, the HTTP trigger's (s info, or the ROS output HTTPURL)")
	}
	u, err := url.Parse(args[0])
	if err != nil || u.Host == "" {
		return nil, nil, fmt.Errorf("%q is not a URL", args[0])
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname())) {
		return nil, nil, fmt.Errorf("%s: only https is accepted (http only on loopback)", u.Redacted())
	}
	for k, vs := range u.Query() {
		switch {
		case len(vs) > 1:
			return nil, nil, fmt.Errorf("%s is given %d times: give it once, its values comma-separated", k, len(vs))
		case vs[0] == "":
			// The guide's example drops empty parameters from what it signs.
			return nil, nil, fmt.Errorf("%s is empty: leave it out", k)
		}
	}
	found, err := profile.Find(getenv, getenv("HOME"))
	if err != nil {
		return nil, nil, err
	}
	k := found.Creds
	c := Credential{k.AccessKeyID, k.AccessKeySecret.Reveal(), k.SecurityToken.Reveal()}
	method, body := http.MethodGet, []byte(nil)
	if data != "" {
		method, body = http.MethodPost, []byte(data)
		if name, ok := strings.CutPrefix(data, "@"); ok {
			if body, err = os.ReadFile(name); err != nil {
				return nil, nil, err
			}
		}
		if !json.Valid(body) {
			return nil, nil, errors.New("-d: the body is not JSON")
		}
	}
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tokenFile != "" {
		tok, err := os.ReadFile(tokenFile)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("X-Distributor-Token", strings.TrimSpace(string(tok)))
	}
	sign(req, c, time.Now().UTC().Format("2006-01-02T15:04:05Z"))
	return req, body, nil
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
