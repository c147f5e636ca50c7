package appstream

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/ids"
)

// maxMessage bounds what an error keeps of a response body; a gateway's
// HTML error page is not worth a log line of its own.
const maxMessage = 256

// minRun is the shortest run of letters and digits of a credential that
// redact removes wherever it appears: long enough never to match prose.
const minRun = 8

var (
	urlQuery = regexp.MustCompile(`\?[^\s"']*`)
	// The gateway quotes its string to sign, and other signers their
	// canonicalized request: every signed parameter, the STS token among
	// them, percent-encoded once or twice.
	requestEcho = regexp.MustCompile(`(?is)(string ?to ?sign|canonicali[sz]ed ?request).*$`)
	// credentialKey is a credential's name and what joins it to its value:
	// "=" plain or percent-encoded once or twice, or a colon (a header, a
	// JSON field), quotes and spaces around it.
	credentialKey = regexp.MustCompile(`(?i)(SecurityToken|Signature|AccessKeyId|AccessKeySecret|Authorization)["']?\s*(=|%3D|%253D|:)\s*["']?`)
)

// redact strips anything that could carry a credential: URL query
// strings, echoed strings to sign, the value after every credential name,
// and the credential values themselves, plain, percent-encoded or cut into
// pieces by an encoding. It is applied to every message that reaches an
// Error.
func redact(s string, creds config.Credentials) string {
	s = urlQuery.ReplaceAllString(s, "?[redacted]")
	s = requestEcho.ReplaceAllString(s, "$1 [redacted]")
	s = redactValues(s)
	for _, v := range []string{creds.AccessKeyID, creds.AccessKeySecret.Reveal(), creds.SecurityToken.Reveal()} {
		if len(v) < 4 {
			continue
		}
		once := url.QueryEscape(v)
		for _, form := range []string{v, once, url.QueryEscape(once)} {
			s = strings.ReplaceAll(s, form, "[redacted]")
		}
		// An encoding this pass does not know still leaves the value's
		// letters and digits whole between its escapes.
		for _, run := range strings.FieldsFunc(v, notAlphanumeric) {
			if len(run) >= minRun {
				s = strings.ReplaceAll(s, run, "[redacted]")
			}
		}
	}
	return ids.Clip(s, maxMessage)
}

// redactValues replaces the value after each credential name.
func redactValues(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range credentialKey.FindAllStringIndex(s, -1) {
		if m[1] <= last {
			continue
		}
		b.WriteString(s[last:m[1]])
		end := valueEnd(s, m[1])
		if end > m[1] {
			b.WriteString("[redacted]")
		}
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// valueEnd returns where a value starting at i ends: at "&", whitespace, a
// quote, a backslash or an angle bracket, or at "&" percent-encoded once
// (%26) or twice (%2526). Any other %XX is part of the value: a token's
// "+", "/" and "=" are encoded that way.
func valueEnd(s string, i int) int {
	for ; i < len(s); i++ {
		if strings.IndexByte("&\"'\\<> \t\r\n\v\f", s[i]) >= 0 {
			return i
		}
		if s[i] == '%' && (hasPrefixFold(s[i:], "%26") || hasPrefixFold(s[i:], "%2526")) {
			return i
		}
	}
	return i
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func notAlphanumeric(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
