package main

import (
	"encoding/json"
	"strings"
)

// levels abbreviates zerolog's level names the way its console writer does.
var levels = map[string]string{"debug": "DBG", "info": "INF", "warn": "WRN", "error": "ERR", "fatal": "FTL", "panic": "PNC"}

// dropped are the fields a person running locally does not need on every
// line: they are the same on each line of an invocation, or long IDs.
var dropped = map[string]bool{"level": true, "message": true, "time": true, "function": true,
	"request_id": true, "trigger": true, "api_request_id": true, "event_ids": true, "version_id": true,
	// Each region's outcome is a row of the summary table.
	"regions": true}

// maxLine is where a condensed log line is cut; -raw shows it whole.
const maxLine = 160

// shorten cuts a line to maxLine characters, saying so.
func shorten(line string) string {
	r := []rune(line)
	if len(r) <= maxLine {
		return line
	}
	return string(r[:maxLine-len([]rune(cutMark))]) + cutMark
}

const cutMark = " …(-raw)"

// runtimeLine reports the lines the FC SDK prints around each invocation.
// FC shows them in its own console; mixed into the logs here they are noise.
func runtimeLine(line string) bool {
	return strings.HasPrefix(line, "FC Invoke ") || strings.HasPrefix(line, "FC Initialize ")
}

// condense turns one JSON log line into "LVL message key=value …", in the
// line's own key order, leaving out the dropped fields, empty values and zero counts.
// Anything that is not a JSON object is returned unchanged.
func condense(line string) string {
	fields, ok := orderedObject(line)
	if !ok {
		return line
	}
	var b strings.Builder
	lvl, msg := text(fields.get("level")), text(fields.get("message"))
	b.WriteString(orDefault(levels[lvl], strings.ToUpper(lvl)))
	b.WriteString(" " + msg)
	for _, k := range fields.keys {
		v := scalar(fields.values[k])
		// "status" repeats the message's last word ("image started").
		if dropped[k] || v == "" || v == "0" || (k == "status" && strings.HasSuffix(msg, " "+v)) {
			continue
		}
		b.WriteString(" " + k + "=" + v)
	}
	return b.String()
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// exitReason finds, in what the function wrote before it exited, the line
// that says why: the error of its last error-level log line, or else a Go
// panic or fatal error, or else its last plain line. It is one line.
func exitReason(lines []string) string {
	var plain string
	for i := len(lines) - 1; i >= 0; i-- {
		line := lines[i]
		o, ok := orderedObject(line)
		if ok {
			if scalar(o.get("level")) == "error" && o.get("error") != nil {
				var msg string
				if json.Unmarshal(o.get("error"), &msg) != nil {
					msg = scalar(o.get("error"))
				}
				return strings.ReplaceAll(msg, "\n", "; ")
			}
			continue
		}
		switch {
		case strings.HasPrefix(line, "panic: "), strings.HasPrefix(line, "fatal error: "):
			plain = line
		case plain == "" && strings.TrimSpace(line) != "" && !runtimeLine(line):
			plain = line
		}
	}
	return plain
}
