// Package sandbox runs the real compiled function on loopback: the FC
// runtime emulator feeds it events and the appstream-center stand-in
// answers its API calls. The end-to-end tests and the local-run command
// both use it, so what a developer watches locally is what the tests check.
package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/fctest"
)

// Credentials the sandbox hands the function through the FC context. They
// are fake, but distinctive, so a test can scan the logs for them.
var Credentials = fctest.Credentials{
	AccessKeyID:     "STS.sandboxKeyID7f3a9c",
	AccessKeySecret: "sandbox-secret-Q2w9xY4z/+Kp",
	SecurityToken:   "CAIS-sandbox-token-Zm9vYmFyYmF6+/=",
}

// EndpointVariable is the variable that points the function at the
// API stand-in; Start always sets it (config.EnvEndpoint).
const EndpointVariable = "APPSTREAM_ENDPOINT"

// HTTPToken is the bearer token the sample HTTP event carries.
const HTTPToken = "local-test-token"

// DefaultEnv is the configuration the sandbox runs the function with
// unless a caller overrides a variable.
func DefaultEnv() map[string]string {
	sum := sha256.Sum256([]byte(HTTPToken))
	return map[string]string{
		"DESTINATION_REGIONS":            "cn-hangzhou,cn-beijing,ap-southeast-1",
		"DESTINATION_REGIONS_BY_PRODUCT": "CloudDesktop=cn-hangzhou,cn-shenzhen",
		"ALLOWED_REGIONS":                "cn-hangzhou,cn-beijing,cn-shenzhen,cn-shanghai,ap-southeast-1",
		"HTTP_TOKEN_SHA256":              hex.EncodeToString(sum[:]),
		"LOG_LEVEL":                      "debug",
		// FC sets these in every instance's environment.
		"FC_FUNCTION_NAME": "image-distributor",
		"FC_REGION":        "cn-shanghai",
	}
}

// Sandbox is a running function with its two stand-ins.
type Sandbox struct {
	API     *appstreamtest.Server
	Runtime *fctest.Runtime
	Proc    *fctest.Process
	Logs    *fctest.LogBuffer
	binary  string
	env     []string
	out     io.Writer
}

// Options shape a sandbox. Env entries override the base environment
// (DefaultEnv unless BaseEnv is set); an empty value removes the variable.
type Options struct {
	Binary string
	// BaseEnv, if non-nil, replaces DefaultEnv: the local-run command
	// starts from its own, smaller and printed, presets.
	BaseEnv map[string]string
	Env     map[string]string
	Timeout time.Duration
	// APICredential, if set, is the only key the API stand-in accepts,
	// to rehearse a function whose role credentials are refused.
	APICredential *appstreamtest.Credential
	// Output, if set, also receives everything the function writes, as it
	// is written, so a test can check each log line when it appears.
	Output io.Writer
	// Credentials, if set, are what the emulator hands the function with
	// each invocation instead of the fake Credentials: localrun -live
	// passes a developer's own key this way, as FC passes the role's.
	Credentials *fctest.Credentials
}

// Start runs the binary with the stand-in as its API endpoint.
func Start(opts Options) (*Sandbox, error) {
	accepted := appstreamtest.Credential(Credentials)
	if opts.APICredential != nil {
		accepted = *opts.APICredential
	}
	s := &Sandbox{API: appstreamtest.New(accepted), Logs: &fctest.LogBuffer{}}
	var err error
	handed := Credentials
	if opts.Credentials != nil {
		handed = *opts.Credentials
	}
	s.Runtime, err = fctest.NewRuntime(fctest.Options{Timeout: opts.Timeout, Credentials: handed})
	if err != nil {
		s.API.Close()
		return nil, err
	}
	env := DefaultEnv()
	if opts.BaseEnv != nil {
		env = maps.Clone(opts.BaseEnv)
	}
	env[EndpointVariable] = s.API.URL()
	for k, v := range opts.Env {
		env[k] = v
	}
	var list []string
	for k, v := range env {
		if v != "" {
			list = append(list, k+"="+v)
		}
	}
	s.binary, s.env, s.out = opts.Binary, list, io.Writer(s.Logs)
	if opts.Output != nil {
		s.out = io.MultiWriter(s.Logs, opts.Output)
	}
	s.Proc, err = fctest.Start(opts.Binary, s.Runtime, list, s.out)
	if err != nil {
		s.Runtime.Close()
		s.API.Close()
		return nil, err
	}
	return s, nil
}

// Invoke sends one event and waits for the function's answer.
func (s *Sandbox) Invoke(ctx context.Context, event []byte) (fctest.Result, error) {
	return s.Runtime.Invoke(ctx, fctest.Invocation{Event: event})
}

// Restart replaces the function's process with a fresh one on the same
// API stand-in and runtime emulator, as when FC delivers to a new
// instance: nothing the old process remembered survives, while the API
// keeps what it was asked. The emulator gives each process an endpoint of
// its own, so a poll the old process left open takes nothing, and an
// invocation in flight in it fails with fctest.ErrInstanceExited.
func (s *Sandbox) Restart() error {
	if err := s.Proc.Stop(); err != nil {
		return fmt.Errorf("stop the function: %w", err)
	}
	p, err := fctest.Start(s.binary, s.Runtime, s.env, s.out)
	if err != nil {
		return err
	}
	s.Proc = p
	return nil
}

// Close stops the function first: once the runtime is gone the FC SDK
// polls it in a tight loop.
func (s *Sandbox) Close() {
	s.Proc.Stop()
	s.Runtime.Close()
	s.API.Close()
}

// functionPkg is the deployable main package.
const functionPkg = "./function"

// Build compiles the function into dir and returns the binary's path. The
// go command's output comes back in the error.
func Build(ctx context.Context, dir string) (string, error) {
	var msg bytes.Buffer
	bin, err := BuildTo(ctx, dir, &msg)
	if err != nil {
		return "", fmt.Errorf("%w\n%s", err, msg.Bytes())
	}
	return bin, nil
}

// BuildTo is Build with the go command's output written to w as it comes.
func BuildTo(ctx context.Context, dir string, w io.Writer) (string, error) {
	bin := filepath.Join(dir, "main")
	if err := fctest.BuildTo(ctx, functionPkg, bin, w); err != nil {
		return "", fmt.Errorf("build the function: %w", err)
	}
	return bin, nil
}

// Resolve downloads the modules the function needs, if any are missing;
// the go command reports each download on w.
func Resolve(ctx context.Context, w io.Writer) error {
	if err := fctest.Resolve(ctx, functionPkg, w); err != nil {
		return fmt.Errorf("resolve the function's modules: %w", err)
	}
	return nil
}

// EventsDir is the repository's events/ folder, where the samples live.
func EventsDir() (string, error) {
	root, err := fctest.ModuleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "events"), nil
}

// ReadEvent reads a sample for a test, given a path or a bare file name
// in EventsDir. The local-run command takes paths exactly as typed instead.
func ReadEvent(name string) ([]byte, error) {
	if b, err := os.ReadFile(name); err == nil {
		return b, nil
	}
	dir, err := EventsDir()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(dir, filepath.Base(name)))
}
