package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// algorithm is the signature FC's gateway checks on an HTTP trigger with
// authType function: Alibaba Cloud's V3 signature, the one
// github.com/alibabacloud-go/openapi-util/service GetAuthorization makes
// (FC guide "Configure signature authentication for HTTP triggers").
const algorithm = "ACS3-HMAC-SHA256"

// Credential is the caller's own key: an AccessKey pair, or STS
// credentials with their token.
type Credential struct {
	AccessKeyID, AccessKeySecret, SecurityToken string
}

// sign adds x-acs-date, x-acs-security-token (with STS credentials) and
// Authorization to req, exactly as FC's guide signs an HTTP trigger call
// in its example: those headers and Content-Type signed, the host not,
// and an empty payload in place of the body's hash, so the body is not
// part of the signature. The X-Distributor-Token header is not an x-acs-*
// header and stays outside the signature, next to it.
func sign(req *http.Request, c Credential, date string) {
	req.Header.Set("x-acs-date", date)
	if c.SecurityToken != "" {
		req.Header.Set("x-acs-security-token", c.SecurityToken)
	}
	headers := map[string][]string{}
	for k, vs := range req.Header {
		headers[strings.ToLower(k)] = append(headers[strings.ToLower(k)], vs...)
	}
	// The guide's example signs the path as the URL spells it, with $ escaped.
	path := strings.ReplaceAll(req.URL.EscapedPath(), "$", "%24")
	req.Header.Set("Authorization", authorization(req.Method, path, req.URL.Query(), headers, "", c))
}

// authorization is GetAuthorization: the canonical request (method,
// path, sorted and escaped query, signed headers, payload hash) hashed,
// then HMAC-SHA256 with the secret.
func authorization(method, path string, query url.Values, headers map[string][]string, payload string, c Credential) string {
	canonical, signed := canonicalHeaders(headers)
	request := strings.Join([]string{method, canonicalPath(path), canonicalQuery(query), canonical, signed, payload}, "\n")
	h := sha256.Sum256([]byte(request))
	mac := hmac.New(sha256.New, []byte(c.AccessKeySecret))
	mac.Write([]byte(algorithm + "\n" + hex.EncodeToString(h[:])))
	return algorithm + " Credential=" + c.AccessKeyID + ",SignedHeaders=" + signed + ",Signature=" + hex.EncodeToString(mac.Sum(nil))
}

// escape is url.QueryEscape as the signer amends it: %20 for a space, *
// escaped, ~ not.
func escape(s string) string {
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(url.QueryEscape(s))
}

func canonicalPath(p string) string {
	if p == "" {
		return "/"
	}
	return strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~").Replace(p)
}

// canonicalQuery sorts the parameters by name; a name given twice keeps
// one value, as the signer's map does, so fccall never sends one twice.
func canonicalQuery(q url.Values) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		parts = append(parts, k+"="+escape(q.Get(k)))
	}
	return strings.Join(parts, "&")
}

// canonicalHeaders lists the signed headers (x-acs-*, host and
// content-type, where present), lower case and sorted, each
// with its values trimmed, sorted and joined by commas.
func canonicalHeaders(headers map[string][]string) (canonical, signed string) {
	var names []string
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(headers)) {
		if !strings.HasPrefix(k, "x-acs-") && k != "host" && k != "content-type" {
			continue
		}
		vals := make([]string, 0, len(headers[k]))
		for _, v := range headers[k] {
			vals = append(vals, strings.TrimSpace(v))
		}
		slices.Sort(vals)
		b.WriteString(k + ":" + strings.Join(vals, ",") + "\n")
		names = append(names, k)
	}
	return b.String(), strings.Join(names, ";")
}
