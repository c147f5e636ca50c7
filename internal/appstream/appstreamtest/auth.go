package appstreamtest

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// apiVersion is the only version of the API this fake implements.
const apiVersion = "2021-09-01"

// maxSkew is the gateway's tolerance between the client's Timestamp and its
// own clock; it also bounds how long a nonce must be remembered.
const maxSkew = 15 * time.Minute

// required lists the common parameters every signed RPC request carries.
var required = []string{"AccessKeyId", "Action", "Format",
	"SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version"}

// admit runs the gateway layer: protocol, signature, nonce, version and
// action. It returns the action to run, or the refusal to send.
func (s *Server) admit(r *http.Request, c *Call) (action, answer, bool) {
	refuse := func(code string) (action, answer, bool) {
		return nil, errorAnswer(c.RequestID, ErrorResponse(code)), false
	}
	if r.Method != http.MethodPost {
		return refuse("UnsupportedHTTPMethod")
	}
	if r.URL.Path != "/" {
		return refuse("InvalidApi.NotFound")
	}
	if err := r.ParseForm(); err != nil {
		return refuse("InvalidParameter")
	}
	p := r.Form // query and form body together, as both are signed
	signature := p.Get("Signature")
	p.Del("Signature")
	c.Params = p
	c.Action, c.Version = p.Get("Action"), p.Get("Version")
	c.AccessKeyID, c.SecurityToken = p.Get("AccessKeyId"), p.Get("SecurityToken")
	if signature == "" {
		return refuse("MissingSignature")
	}
	if code := s.authenticate(r.Method, p, signature, c.At); code != "" {
		if code == "SignatureDoesNotMatch" {
			// The real gateway echoes its StringToSign; the SDK compares it
			// with its own to tell a wrong secret from a signing bug.
			resp := ErrorResponse(code)
			resp.Message += " server string to sign is:" + stringToSign(r.Method, p)
			return nil, errorAnswer(c.RequestID, resp), false
		}
		return refuse(code)
	}
	if c.Version != apiVersion {
		return refuse("InvalidVersion")
	}
	act, ok := actions[c.Action]
	if !ok {
		return refuse("InvalidApi.NotFound")
	}
	return act, answer{}, true
}

// authenticate returns the code of the first failed gateway check, or "".
func (s *Server) authenticate(method string, p url.Values, signature string, now time.Time) string {
	for _, k := range required {
		if p.Get(k) == "" {
			return "Missing" + k
		}
	}
	switch {
	case p.Get("SignatureMethod") != "HMAC-SHA1":
		return "InvalidSignatureMethod"
	case p.Get("SignatureVersion") != "1.0":
		return "InvalidSignatureVersion"
	case !strings.EqualFold(p.Get("Format"), "JSON"):
		return "InvalidFormat"
	}
	ts, err := time.Parse(time.RFC3339, p.Get("Timestamp"))
	if err != nil {
		return "InvalidTimeStamp.Format"
	}
	if d := now.Sub(ts); d > maxSkew || d < -maxSkew {
		return "InvalidTimeStamp.Expired"
	}
	cred, ok := s.creds[p.Get("AccessKeyId")]
	if !ok {
		return "InvalidAccessKeyId.NotFound"
	}
	if !hmac.Equal([]byte(signature), []byte(sign(cred.AccessKeySecret, stringToSign(method, p)))) {
		return "SignatureDoesNotMatch"
	}
	switch token := p.Get("SecurityToken"); {
	case cred.SecurityToken != "" && token == "":
		return "MissingSecurityToken"
	case token != cred.SecurityToken:
		return "InvalidSecurityToken.MismatchWithAccessKey"
	}
	return s.useNonce(cred.AccessKeyID+"/"+p.Get("SignatureNonce"), now)
}

// useNonce remembers a nonce and refuses it the second time. Only properly
// signed requests reach here, so a forger cannot burn someone's nonces.
func (s *Server) useNonce(key string, now time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.nonces[key]; seen {
		return "SignatureNonceUsed"
	}
	if len(s.nonces) >= 4096 {
		// A replay older than the skew window fails the timestamp check
		// anyway, so older nonces can be forgotten.
		for k, t := range s.nonces {
			if now.Sub(t) > 2*maxSkew {
				delete(s.nonces, k)
			}
		}
	}
	s.nonces[key] = now
	return ""
}

// stringToSign builds METHOD&%2F&pe(canonical query) over every parameter
// except Signature (already removed from p), keys in byte order.
func stringToSign(method string, p url.Values) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(p)) {
		for _, v := range p[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(percentEncode(k) + "=" + percentEncode(v))
		}
	}
	return method + "&" + percentEncode("/") + "&" + percentEncode(b.String())
}

// percentEncode is RFC 3986 encoding as the Alibaba Cloud signers apply it.
func percentEncode(s string) string {
	s = url.QueryEscape(s)
	s = strings.ReplaceAll(s, "+", "%20")
	s = strings.ReplaceAll(s, "*", "%2A")
	return strings.ReplaceAll(s, "%7E", "~")
}

// sign is base64(HMAC-SHA1(secret+"&", stringToSign)).
func sign(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
