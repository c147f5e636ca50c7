package sandbox

import (
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"unicode"
)

// minRun is the shortest run of a secret's letters and digits looked for
// on its own: long enough never to match prose.
const minRun = 8

// SecretForms are the ways a secret can show up in output: whole,
// percent-encoded once or twice, base64 and hex encoded, and its long
// alphanumeric runs, which survive any escaping between them.
func SecretForms(secret string) []string {
	if secret == "" {
		return nil
	}
	once := url.QueryEscape(secret)
	forms := []string{secret, once, url.QueryEscape(once), url.PathEscape(secret),
		base64.StdEncoding.EncodeToString([]byte(secret)), base64.RawStdEncoding.EncodeToString([]byte(secret)),
		base64.URLEncoding.EncodeToString([]byte(secret)), base64.RawURLEncoding.EncodeToString([]byte(secret)),
		hex.EncodeToString([]byte(secret))}
	for _, run := range strings.FieldsFunc(secret, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(run) >= minRun {
			forms = append(forms, run)
		}
	}
	return forms
}

// Reveals returns the forms of secrets (SecretForms) that out contains:
// a test of the function's or localrun's output wants none.
func Reveals(out string, secrets ...string) []string {
	var found []string
	for _, s := range secrets {
		for _, f := range SecretForms(s) {
			if strings.Contains(out, f) {
				found = append(found, f)
			}
		}
	}
	return found
}
