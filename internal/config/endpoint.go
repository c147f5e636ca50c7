package config

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Endpoint is where the appstream-center API is reached.
type Endpoint struct {
	Scheme string // "https", or "http" for a loopback stand-in
	Host   string // host or host:port
}

// ParseEndpoint accepts a bare host (HTTPS), an https:// URL, or an http://
// URL on loopback. Plain HTTP anywhere else would send the STS token and
// signature in clear text, so it is refused rather than trusted.
func ParseEndpoint(v string) (Endpoint, error) {
	if !strings.Contains(v, "://") {
		v = "https://" + v
	}
	u, err := url.Parse(v)
	if err != nil || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return Endpoint{}, fmt.Errorf("%q is not a host such as %s", v, DefaultEndpoint)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return Endpoint{}, fmt.Errorf("%q: plain http is only allowed on loopback (a local stand-in)", v)
		}
	default:
		return Endpoint{}, fmt.Errorf("%q: scheme must be https", v)
	}
	return Endpoint{Scheme: u.Scheme, Host: u.Host}, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String gives the endpoint as a URL, for logs.
func (e Endpoint) String() string { return e.Scheme + "://" + e.Host }
