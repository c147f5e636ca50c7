package appstreamtest

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
)

// NewTLS is New serving HTTPS, as the real endpoint does, so that a client
// which refuses plain HTTP can be tested on loopback. Its certificate,
// for 127.0.0.1, is httptest's and the same for every server; a client
// trusts it through CertPEM.
func NewTLS(creds ...Credential) *Server {
	s := newServer(creds)
	s.ts = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	return s
}

// CertPEM returns the certificate a TLS server presents, PEM-encoded, for
// a client's trusted roots (SSL_CERT_FILE); nil for a plain HTTP server.
func (s *Server) CertPEM() []byte {
	c := s.ts.Certificate()
	if c == nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
