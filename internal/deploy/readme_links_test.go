package deploy_test

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// linkDocs are the documents a reader follows links between.
var linkDocs = []string{"README.md", "docs/reliability.md", "BENCHMARKS.md"}

// TestREADMELinks fails on a link of the README, docs/reliability.md or
// BENCHMARKS.md to a file that does not exist or to a heading that no
// longer does: sections get renamed, and GitHub then lands the reader at
// the top of the page without a word.
func TestREADMELinks(t *testing.T) {
	anchors := map[string]map[string]bool{}
	for _, doc := range linkDocs {
		anchors[doc] = headingAnchors(readRepo(t, doc))
	}
	for _, doc := range linkDocs {
		for _, l := range mdLinks(readRepo(t, doc)) {
			file, frag, _ := strings.Cut(l.target, "#")
			target := doc
			if file != "" {
				target = path.Clean(path.Join(path.Dir(doc), file))
				if _, err := os.Stat(filepath.Join("..", "..", filepath.FromSlash(target))); err != nil {
					t.Errorf("%s:%d: link to %q: no such file", doc, l.line, l.target)
					continue
				}
			}
			if frag == "" {
				continue
			}
			have, ok := anchors[target]
			if !ok {
				if !strings.HasSuffix(target, ".md") {
					continue // an anchor in a source file is a line, not a heading
				}
				have = headingAnchors(readRepo(t, target))
				anchors[target] = have
			}
			if !have[frag] {
				t.Errorf("%s:%d: link to %q: %s has no heading with anchor %q", doc, l.line, l.target, target, frag)
			}
		}
	}
}

type mdLink struct {
	line   int
	target string
}

var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// mdLinks returns the document's local links, outside fenced code and
// code spans.
func mdLinks(doc string) []mdLink {
	var links []mdLink
	for i, line := range proseLines(doc) {
		if line == "" {
			continue
		}
		for _, m := range linkRE.FindAllStringSubmatch(stripCodeSpans(line), -1) {
			if strings.Contains(m[1], "://") || strings.HasPrefix(m[1], "mailto:") {
				continue
			}
			links = append(links, mdLink{line: i + 1, target: m[1]})
		}
	}
	return links
}

// proseLines returns the document's lines with those inside fenced code
// blocks blanked, so line numbers stay right.
func proseLines(doc string) []string {
	lines := strings.Split(doc, "\n")
	fenced := false
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			lines[i] = ""
			continue
		}
		if fenced {
			lines[i] = ""
		}
	}
	return lines
}

var codeSpanRE = regexp.MustCompile("`[^`]*`")

// stripCodeSpans drops the code spans that hold a "](", which is text
// there, not a link; the others stay, since a link's text may be one.
func stripCodeSpans(line string) string {
	return codeSpanRE.ReplaceAllStringFunc(line, func(s string) string {
		if strings.Contains(s, "](") {
			return ""
		}
		return s
	})
}

var headingRE = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*\s*$`)

// headingAnchors returns the anchors GitHub gives the document's
// headings: lower case, punctuation other than '-' and '_' dropped,
// spaces turned into hyphens, and a repeated anchor suffixed -1, -2, ….
func headingAnchors(doc string) map[string]bool {
	anchors := map[string]bool{}
	seen := map[string]int{}
	for _, line := range proseLines(doc) {
		m := headingRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		a := githubAnchor(m[1])
		if n := seen[a]; n > 0 {
			anchors[a+"-"+strconv.Itoa(n)] = true
		} else {
			anchors[a] = true
		}
		seen[a]++
	}
	return anchors
}

func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r > 0x7f && !isPunct(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPunct reports the non-ASCII punctuation GitHub drops from anchors
// that these documents use.
func isPunct(r rune) bool {
	return strings.ContainsRune("…–—×÷→≤≥⌈⌉⌊⌋·", r)
}

func TestGithubAnchor(t *testing.T) {
	for heading, want := range map[string]string{
		"`s deploy` instead":                                     "s-deploy-instead",
		"The long run (issue 16)":                                "the-long-run-issue-16",
		"Truthful answers (issue 17), item by item":              "truthful-answers-issue-17-item-by-item",
		"A new image with no event (`BenchmarkNewImageLatency`)": "a-new-image-with-no-event-benchmarknewimagelatency",
		"Timer batch: 1,000 images, 20 ms API latency":           "timer-batch-1000-images-20-ms-api-latency",
	} {
		if got := githubAnchor(heading); got != want {
			t.Errorf("githubAnchor(%q) = %q, want %q", heading, got, want)
		}
	}
}
