package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/fctest"
	"github.com/image-distributor/image-distributor/internal/profile"
	"github.com/image-distributor/image-distributor/internal/reading"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// -live runs the real function, through the same FC emulator, against the
// real appstream-center with the developer's own key, read-only unless
// -apply: the place where a misreading of the real API shows up first.

// checkMode refuses flag combinations that make no sense: -apply lifts
// -live's DRY_RUN, and only -live may name the real endpoint.
func (o options) checkMode() error {
	_, endpoint := o.env[endpointVariable]
	_, dry := o.env[config.EnvDryRun]
	switch {
	case o.apply && !o.live:
		return errors.New("-apply only lifts -live's DRY_RUN; the local stand-in never needs it")
	case endpoint && !o.live:
		return fmt.Errorf("%s cannot be changed: %s (with -live it names the real endpoint)", endpointVariable, runnerOwned[endpointVariable])
	case dry && o.live:
		return errors.New("-live sets DRY_RUN itself: true, unless -apply is given")
	}
	return nil
}

// livePresets are the variables -live gives the function unless -env
// changes them: only what FC sets and what the sample HTTP events need.
// Where images go and which the sweep manages are the account's own
// settings, so -live presets none of them.
func livePresets() map[string]string {
	env := map[string]string{}
	for _, p := range presets() {
		switch p.name {
		case "HTTP_TOKEN_SHA256", "FC_FUNCTION_NAME", "FC_REGION":
			env[p.name] = p.value
		}
	}
	return env
}

// trustVariables name the CA bundle Go reads instead of the system's. They
// are passed on so the function trusts what localrun trusts; neither can
// make either of them speak plain HTTP.
var trustVariables = []string{"SSL_CERT_FILE", "SSL_CERT_DIR"}

// liveEnv is the function's whole environment in -live mode.
func liveEnv(o options) map[string]string {
	env := livePresets()
	maps.Copy(env, o.env)
	env[config.EnvDryRun] = fmt.Sprint(!o.apply)
	for _, k := range trustVariables {
		if v := os.Getenv(k); v != "" {
			env[k] = v
		}
	}
	return env
}

// preflightTimeout bounds the first ListImage call, which answers in well
// under a second when the endpoint is reachable.
const preflightTimeout = 20 * time.Second

// runLive is localrun -live. Credentials are looked for before anything
// else, so a run without them ends in a second; the first ListImage page
// is read before the build, so a key that cannot list ends the run too.
func runLive(ctx context.Context, o options, stdout, stderr io.Writer) int {
	f, err := profile.Find(os.Getenv, os.Getenv("HOME"))
	if err != nil {
		fmt.Fprintln(stderr, "localrun -live:", err)
		return exitFailed
	}
	// Nothing below prints a secret; this makes sure of it.
	secrets := []string{f.Creds.AccessKeySecret.Reveal(), f.Creds.SecurityToken.Reveal()}
	out, errs := newGuard(stdout, secrets), newGuard(stderr, secrets)
	fail := func(code int, msg ...any) int {
		fmt.Fprintln(errs, append([]any{"localrun -live:"}, msg...)...)
		return code
	}
	events, err := liveEvents(o.events)
	if err != nil {
		return fail(exitUsage, err)
	}
	env := liveEnv(o)
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return fail(exitFailed, "the function would refuse this configuration at cold start:", err)
	}
	if cfg.Endpoint.Scheme != "https" {
		return fail(exitUsage, fmt.Sprintf("%s=%s: -live speaks https only", endpointVariable, env[endpointVariable]))
	}
	mode := "read-only: DRY_RUN=true, nothing is started; -apply lifts it"
	if o.apply {
		mode = "-apply: DRY_RUN=false, copies the function decides on ARE STARTED in your account"
	}
	fmt.Fprintf(out, "Live run against your account (%s)\n  key %s from %s\n  endpoint %s\n",
		mode, profile.MaskKeyID(f.Creds.AccessKeyID), f.From, cfg.Endpoint)

	prog := &progress{w: errs}
	api := appstream.New(cfg.Endpoint)
	rctx, tally := reading.Watch(ctx)
	end := prog.step("checking that the key can list images (ListImage, page 1)")
	pctx, cancel := context.WithTimeout(rctx, preflightTimeout)
	first, err := api.ListPage(pctx, f.Creds, liveFilter, 1, livePageSize)
	cancel()
	end(err)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return fail(exitInterrupted, "interrupted")
	case unreadable(err):
		// The key works; the answer is what the reading check is for.
		fmt.Fprintf(out, "ListImage page 1 cannot be read as the function reads it (%v); the reading check at the end says why\n", err)
	default:
		return fail(exitFailed, explainList(err, cfg.Endpoint, f))
	}

	s := &session{opts: o, out: out, prog: prog, seen: map[string]bool{}}
	handed := fctest.Credentials{AccessKeyID: f.Creds.AccessKeyID, AccessKeySecret: f.Creds.AccessKeySecret.Reveal(),
		SecurityToken: f.Creds.SecurityToken.Reveal()}
	started, problems, err := s.runLive(ctx, env, handed, events)
	if ctx.Err() != nil {
		return fail(exitInterrupted, "interrupted; the build folder is removed")
	}
	if err != nil {
		return fail(exitFailed, err)
	}
	fmt.Fprintln(out)
	readRest(rctx, prog, api, f.Creds, first, tally, out)
	if ctx.Err() != nil {
		return fail(exitInterrupted, "interrupted during the reading check")
	}
	tally.Write(out)
	if !tally.Empty() {
		fmt.Fprintln(out, "Please send us this reading check (README, \"Try it on your account\"): the function's reading of ListImage is wrong for your account.")
	}
	fmt.Fprintln(out)
	if o.apply {
		fmt.Fprintf(out, "-apply: DRY_RUN=false. Copies started in your account: %s\n", orDefault(strings.Join(started, "; "), "none"))
	} else {
		fmt.Fprintln(out, "Read-only: DRY_RUN=true, so nothing was started. Rows marked dry-run are the copies the function would start; -apply starts them.")
	}
	for _, p := range problems {
		fmt.Fprintln(errs, "localrun -live:", p)
	}
	if len(problems) > 0 {
		return exitFailed
	}
	return exitOK
}

// runLive builds the function and invokes it with each event, the
// credentials handed over as FC hands over the role's. It returns the
// copies started and one line per invocation that failed.
func (s *session) runLive(ctx context.Context, env map[string]string, handed fctest.Credentials, events []event) (started, problems []string, err error) {
	// The stand-in the sandbox starts is never called: the function's
	// endpoint is its own pick, or the one -env names.
	stop, err := s.start(ctx, sandbox.Options{BaseEnv: env, Timeout: functionTimeout, Credentials: &handed,
		Env: map[string]string{endpointVariable: env[endpointVariable]}}, "the FC runtime emulator")
	if err != nil {
		return nil, nil, err
	}
	defer stop()
	fmt.Fprintln(s.out, "The function's environment (-env KEY=VALUE changes it):")
	for _, k := range slices.Sorted(maps.Keys(env)) {
		fmt.Fprintf(s.out, "  %s=%s\n", k, redact(k, env[k]))
	}
	fmt.Fprintln(s.out, "  and, per invocation, your key as FC hands over the function's role credentials")
	for i, ev := range events {
		st, problem, err := s.liveEvent(ctx, fmt.Sprintf("live-%d", i+1), ev)
		if err != nil {
			return started, problems, fmt.Errorf("%s: %w", ev.name, err)
		}
		started = append(started, st...)
		if problem != "" {
			problems = append(problems, ev.name+": "+problem)
		}
	}
	return started, problems, nil
}
