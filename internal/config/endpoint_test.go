package config_test

import (
	"testing"

	"github.com/image-distributor/image-distributor/internal/config"
)

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // Endpoint.String(); empty means an error
	}{
		{"bare host becomes https", "appstream-center.cn-shanghai.aliyuncs.com", "https://appstream-center.cn-shanghai.aliyuncs.com"},
		{"bare host with port", "appstream.example.com:8443", "https://appstream.example.com:8443"},
		{"https URL", "https://appstream.example.com", "https://appstream.example.com"},
		{"https URL with slash", "https://appstream.example.com/", "https://appstream.example.com"},
		{"uppercase scheme", "HTTPS://appstream.example.com", "https://appstream.example.com"},
		{"http on 127.0.0.1", "http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"http on other loopback", "http://127.0.0.2", "http://127.0.0.2"},
		{"http on localhost", "http://localhost:9000", "http://localhost:9000"},
		{"http on IPv6 loopback", "http://[::1]:9000", "http://[::1]:9000"},
		{"http on a public host", "http://appstream.example.com", ""},
		{"http on a private address", "http://10.0.0.1", ""},
		{"http on any address", "http://0.0.0.0:8080", ""},
		{"http on localhost lookalike", "http://localhost.evil.example", ""},
		{"http with loopback user", "http://127.0.0.1@evil.example", ""},
		{"other scheme", "ftp://appstream.example.com", ""},
		{"path", "https://appstream.example.com/api", ""},
		{"query", "https://appstream.example.com?x=1", ""},
		{"user info", "https://user:pw@appstream.example.com", ""},
		{"empty", "", ""},
		{"scheme only", "https://", ""},
		{"port only", "https://:443", ""},
		{"bare port", ":443", ""},
		{"space in host", "appstream example.com", ""},
		{"newline", "appstream.example.com\n", ""},
		{"bad port", "appstream.example.com:https", ""},
		{"separator only", "://", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := config.ParseEndpoint(tc.in)
			if tc.want == "" {
				if err == nil {
					t.Errorf("ParseEndpoint(%q) = %v, want an error", tc.in, got)
				}
				return
			}
			if err != nil || got.String() != tc.want {
				t.Errorf("ParseEndpoint(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
			}
		})
	}
}
