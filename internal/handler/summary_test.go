package handler

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// TestSummaryCountsEveryStatus: the invocation line's counts add up to its
// images whatever the statuses, and every status the code declares has
// its count.
func TestSummaryCountsEveryStatus(t *testing.T) {
	src, err := os.ReadFile("result.go")
	if err != nil {
		t.Fatal(err)
	}
	declared := regexp.MustCompile(`(?m)^\s+Status\w+\s+Status = "`).FindAll(src, -1)
	if len(declared) != len(statuses) {
		t.Errorf("result.go declares %d statuses, statuses lists %d", len(declared), len(statuses))
	}
	c := counts{byStatus: map[Status]int{}}
	for i, s := range statuses {
		c.byStatus[s] = i + 1
	}
	var buf bytes.Buffer
	h := &Handler{now: time.Now}
	h.summary(zerolog.New(&buf), time.Now(), c, 0, nil)
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, s := range statuses {
		n, ok := line[strings.ReplaceAll(string(s), "-", "_")].(float64)
		if !ok {
			t.Errorf("no count for %s in %s", s, buf.String())
		}
		sum += int(n)
	}
	if images := int(line["images"].(float64)); sum != images || line["level"] != "warn" {
		t.Errorf("counts add up to %d of %v images, level %v; want all, and warn (refused, failed)", sum, images, line["level"])
	}
}
