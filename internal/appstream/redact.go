package appstream

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/ids"
)

// maxMessage bounds what an error keeps of a response body; a gateway's
// HTML error page is not worth a log line of its own.
const maxMessage = 256

var (
	urlQuery = regexp.MustCompile(`\?[^\s"']*`)
	// The gateway quotes its string to sign, which holds every signed
	// parameter, the STS token among them, percent-encoded once or twice.
	stringToSign = regexp.MustCompile(`(?is)string ?to ?sign.*$`)
	secretKeys   = regexp.MustCompile(`(?i)(SecurityToken|Signature|AccessKeyId|AccessKeySecret|Authorization)(=|%3D|%253D|[:"\s]+)[^&\s"',%]+`)
)

// redact strips anything that could carry a credential: URL query
// strings, quoted strings to sign, key=value pairs for credential names and
// the credential values themselves, plain or percent-encoded. It is
// applied to every message that reaches an Error.
func redact(s string, creds config.Credentials) string {
	s = urlQuery.ReplaceAllString(s, "?[redacted]")
	s = stringToSign.ReplaceAllString(s, "string to sign [redacted]")
	s = secretKeys.ReplaceAllString(s, "$1$2[redacted]")
	for _, v := range []string{creds.AccessKeyID, creds.AccessKeySecret.Reveal(), creds.SecurityToken.Reveal()} {
		if len(v) < 4 {
			continue
		}
		once := url.QueryEscape(v)
		for _, form := range []string{v, once, url.QueryEscape(once)} {
			s = strings.ReplaceAll(s, form, "[redacted]")
		}
	}
	return ids.Clip(s, maxMessage)
}
