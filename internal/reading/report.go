package reading

import (
	"fmt"
	"io"

	"github.com/rs/zerolog"
)

// Status is the log line's status field.
const Status = "reading-check"

// Warn logs what t found, in one warn-level line, and nothing when it
// found nothing: the deployed function calls it once per tick.
func (t *Tally) Warn(log zerolog.Logger) {
	if t == nil || t.Empty() {
		return
	}
	counts := zerolog.Dict()
	var examples []string
	for _, f := range t.Findings() {
		if f.Count == 0 {
			continue
		}
		counts = counts.Int(string(f.Kind), f.Count)
		for _, e := range f.Examples {
			examples = append(examples, string(f.Kind)+": "+e)
		}
	}
	log.Warn().Str("status", Status).Dict("oddities", counts).Strs("examples", examples).Int("pages_checked", t.Pages()).
		Msg("ListImage answered values the function does not read as it expects; " +
			"images they concern may be copied wrongly or not at all (README, \"Try it on your account\")")
}

// Write prints what t found for a person: every kind, with its count and
// examples, or "none".
func (t *Tally) Write(w io.Writer) {
	fmt.Fprintf(w, "Reading check (%d ListImage answers): ", t.Pages())
	if t.Empty() {
		fmt.Fprintln(w, "none. Every value read as the function expects.")
		return
	}
	fmt.Fprintln(w, "values the function could not read as it expects")
	for _, f := range t.Findings() {
		if f.Count == 0 {
			fmt.Fprintf(w, "  %s: none\n", f.Kind.Label())
			continue
		}
		fmt.Fprintf(w, "  %s: %d\n", f.Kind.Label(), f.Count)
		for _, e := range f.Examples {
			fmt.Fprintf(w, "    e.g. %s\n", e)
		}
		if more := f.Count - len(f.Examples); more > 0 {
			fmt.Fprintf(w, "    and %d more\n", more)
		}
	}
}
