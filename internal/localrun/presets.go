package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// preset is a variable localrun gives the function unless -env changes it.
// They are few on purpose: each one is something a run on loopback cannot
// do without, and each is printed, so nothing shapes a run unseen.
type preset struct{ name, value, why string }

func presets() []preset {
	sum := sha256.Sum256([]byte(sandbox.HTTPToken))
	return []preset{
		{"DESTINATION_REGIONS", "cn-hangzhou,cn-beijing", "where images go; a deployment must set it"},
		{"HTTP_TOKEN_SHA256", hex.EncodeToString(sum[:]), "SHA-256 of " + sandbox.HTTPToken + ", the token the events/http-*.json samples send"},
		{"SWEEP_NAME_PATTERN", "local-*", "the sweep and a status query of every image manage what localrun catalogues"},
		{"FC_FUNCTION_NAME", "image-distributor", "FC sets it"},
		{"FC_REGION", "cn-shanghai", "FC sets it"},
	}
}

const endpointVariable = sandbox.EndpointVariable

// runnerOwned are the variables that wire the function to the stand-ins;
// changing one would point it elsewhere, so -env refuses them.
var runnerOwned = map[string]string{
	endpointVariable: "it points the function at the fake appstream-center",
	"FC_RUNTIME_API": "it points the function at the FC runtime emulator",
}

func presetEnv() map[string]string {
	env := map[string]string{}
	for _, p := range presets() {
		env[p.name] = p.value
	}
	return env
}

// printEnv shows the function's settings it was started with, where each
// came from, and the credentials FC hands it per invocation. What the
// process also has but is no setting (PATH, HOME, the emulator's address)
// is left out: it changes nothing the function does. Secrets are redacted.
func printEnv(w io.Writer, env []string, set, shell map[string]string) {
	from := map[string]string{endpointVariable: "stand-in\t(the fake appstream-center)"}
	preset := map[string]string{}
	for _, p := range presets() {
		from[p.name], preset[p.name] = "preset\t("+p.why+")", p.value
	}
	for k, v := range set {
		src := "-env"
		if _, ok := shell[k]; ok {
			src = "shell"
		}
		from[k] = src + "\t"
		if old, ok := preset[k]; ok && old != v {
			from[k] = src + "\t(instead of the preset " + old + ")"
		}
	}
	// A later entry wins, as it does for the process.
	values := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if k == endpointVariable || slices.Contains(settable(), k) {
			values[k] = v
		}
	}
	fmt.Fprintln(w, "The function's settings (-env KEY=VALUE changes one, -env KEY= removes a preset; every other setting has its default):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, k := range slices.Sorted(maps.Keys(values)) {
		src, why, _ := strings.Cut(from[k], "\t")
		if why != "" {
			why = " " + why
		}
		fmt.Fprintf(tw, "  %s\t%s=%s%s\n", orDefault(src, "-env"), k, redact(k, values[k]), why)
	}
	for _, k := range slices.Sorted(maps.Keys(set)) {
		if _, ok := preset[k]; ok && set[k] == "" {
			fmt.Fprintf(tw, "  -env\t%s= (removes the preset %s)\n", k, preset[k])
		}
	}
	c := sandbox.Credentials
	fmt.Fprintf(tw, "  FC context\tcredentials: key %s, secret %s, token %s (the emulator's fake STS keys)\n",
		c.AccessKeyID, redact("SECRET", c.AccessKeySecret), redact("TOKEN", c.SecurityToken))
	tw.Flush()
}

// redact hides the value of a variable whose name says it is a secret. A
// digest (…_SHA256) is not a secret: it is what stands in for one.
func redact(name, v string) string {
	if v == "" || strings.HasSuffix(name, "_SHA256") {
		return v
	}
	for _, word := range []string{"SECRET", "TOKEN", "PASSWORD"} {
		if strings.Contains(strings.ToUpper(name), word) {
			return fmt.Sprintf("[redacted, %d characters]", len(v))
		}
	}
	return v
}
