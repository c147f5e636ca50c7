package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/image-distributor/image-distributor/internal/config"
)

// Settings a person can give the function locally, and what localrun does
// with each source of them. A misspelt name used to be passed on and
// ignored by the function, so a run meant to be dry started copies.

// settable lists the names -env accepts: the function's settings
// (config.Variables), the variables FC sets that localrun presets, and
// the two the function reads outside its settings (DEBUG, which it
// refuses with "sdk" in it, and the credential fallback).
func settable() []string {
	names := config.Variables()
	for _, p := range presets() {
		names = append(names, p.name)
	}
	return append(names, config.EnvDebug, config.EnvAccessKeyID, config.EnvAccessKeySecret, config.EnvSecurityToken)
}

// checkSetting refuses a name the function never reads, naming the
// nearest one it does.
func checkSetting(name string) error {
	if slices.Contains(settable(), name) {
		return nil
	}
	return fmt.Errorf("%s is not a setting of the function; did you mean %s? (README.md, \"Configuration\")",
		name, config.Nearest(strings.ToUpper(name), config.Variables()))
}

// fromShell picks the function's settings out of the shell's environment
// (as `DRY_RUN=true go run ./internal/localrun` or an `export` for s
// deploy leaves them) and passes them on, under -env, which wins. The
// variables that wire the function to the stand-ins are never taken; each
// one found gets a note. Names that are not settings are not looked at:
// PATH, HOME and the shell's credentials stay out of the function.
func fromShell(environ []string, set map[string]string) (taken map[string]string, notes []string) {
	taken = map[string]string{}
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		_, given := set[k]
		switch {
		case !slices.Contains(config.Variables(), k) || given:
		case runnerOwned[k] != "":
			notes = append(notes, fmt.Sprintf("%s from your shell is not passed on: %s", k, runnerOwned[k]))
		default:
			taken[k] = v
		}
	}
	return taken, notes
}

// regionNotes names, before the run, each region the function's settings
// give that is not a known Alibaba Cloud region, with the nearest known
// one: the function logs the same at cold start, and the stand-in, like
// the API, refuses a call that names one.
func regionNotes(env map[string]string) []string {
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		return nil // the function says why at cold start, in its own words
	}
	return cfg.Warnings
}

// functionEnv is what the function starts with, as the sandbox builds it
// from the presets and the changes: for the checks made before the run.
func functionEnv(changes map[string]string) map[string]string {
	env := presetEnv()
	env[endpointVariable] = "http://127.0.0.1:1"
	maps.Copy(env, changes)
	return env
}
