// Package appstreamtest is a loopback stand-in of the appstream-center 2021-09-01 RPC API for tests.
//
// It speaks the real wire protocol: every request must carry a valid RPC
// signature v1.0 made with one of the configured credentials, so a client
// that works against it signs, encodes and decodes the way the real gateway
// expects. Responses can be scripted to rehearse error handling, faults
// injected at random into a share of calls (InjectFaults), and an image
// catalogue whose copies progress over time answers ListImage. IssuedTaskIDs,
// Holds and Copies let a test check a client's reports against what the
// stand-in actually did.
package appstreamtest

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Credential is an access key the server accepts.
type Credential struct {
	AccessKeyID     string
	AccessKeySecret string
	// SecurityToken is optional. When set, requests signed with this key must
	// carry exactly this token, as STS keys do on the real gateway.
	SecurityToken string
}

// Call is one request as the server saw it and what it answered.
type Call struct {
	Action, Version, Method                       string
	ImageID, VersionID, ProductType, SourceRegion string
	// DestinationRegions holds DestinationRegionList.1..N in index order.
	DestinationRegions         []string
	AccessKeyID, SecurityToken string
	// Params holds every signed parameter (query and form) except Signature.
	Params url.Values
	// Status and Code are what the server decided to answer. Status 0 means
	// nothing was answered: the connection was reset or the client left.
	Status    int
	Code      string
	TaskID    string
	RequestID string
	At        time.Time
	// Fault is the fault injected into this call (InjectFaults), if any.
	Fault Fault
}

// Server is a running fake appstream-center endpoint. It is safe for
// concurrent use.
type Server struct {
	ts    *httptest.Server
	creds map[string]Credential
	// done ends pending sleeps on Close, which would otherwise wait for them.
	done      chan struct{}
	closeOnce sync.Once

	mu          sync.Mutex
	calls       []Call
	rejected    []Call
	script      []Response
	latency     time.Duration
	bucket      *bucket
	throttled   int
	nonces      map[string]time.Time
	distributed map[string]map[string]copyState

	// The catalogue is apart from distributed, whose copies exist for any
	// image ID, so that AddImage keeps them and uncatalogued images work.
	images     map[string]*entry
	copyTime   time.Duration
	listScript []Response
	omitTags   bool
	faults     injector
	repeated   Repeated
	// parentMissing holds image|region pairs whose parent image is not
	// in the region (SetParentMissing).
	parentMissing map[string]bool
	copyFail      copyFailures
}

// New starts a server on 127.0.0.1 that accepts only requests signed with
// one of creds. Close it when done.
func New(creds ...Credential) *Server {
	s := newServer(creds)
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

func newServer(creds []Credential) *Server {
	s := &Server{
		creds:       make(map[string]Credential, len(creds)),
		done:        make(chan struct{}),
		nonces:      make(map[string]time.Time),
		distributed: make(map[string]map[string]copyState),
		images:      make(map[string]*entry),
	}
	for _, c := range creds {
		s.creds[c.AccessKeyID] = c
	}
	return s
}

// URL returns the base URL, such as "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.ts.URL }

// Close stops the server, cutting short any scripted delay or latency.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.ts.Close()
}

// Calls returns a copy of every request that passed the gateway checks
// (signature, version, action), throttled ones included, in the order the
// server decided their answers.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneCalls(s.calls)
}

// Rejected returns a copy of the requests refused at the auth, signature or
// protocol layer (bad signature, unknown key, wrong version or action, …).
func (s *Server) Rejected() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneCalls(s.rejected)
}

// Script queues responses for the next StartTaskForDistributeImage calls,
// one per call in FIFO order, ahead of the default behaviour.
func (s *Server) Script(rs ...Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, rs...)
}

// SetLatency delays every answer by d, after the server has decided it, so a
// client that times out may miss the answer to work that was done.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetQPSLimit throttles calls beyond qps per second (token bucket with burst
// max(1, qps)) with Throttling.User. A qps of 0 or less removes the limit.
func (s *Server) SetQPSLimit(qps float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bucket = newBucket(qps, time.Now())
}

// Throttled returns how many calls the QPS limit refused.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// Distributed returns the sorted regions imageID has been distributed to by
// calls or the Mark methods, finished, failed or not. A catalogued image's
// home region is not among them unless marked.
func (s *Server) Distributed(imageID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Sorted(maps.Keys(s.distributed[imageID]))
}

// MarkDistributed records imageID as already distributed to regions, as if
// an earlier call had done it. ListImage shows these copies AVAILABLE
// 100%, even ones a call had started, so a test can finish a copy early.
func (s *Server) MarkDistributed(imageID string, regions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.markLocked(imageID, regions, copyState{})
}

// MarkCopying records imageID as being copied to regions, as if an earlier
// call had started the copies elapsed ago and they take total: ListImage
// shows them INIT or CREATING with their progress (elapsed/total), going
// on in real time, then AVAILABLE. A total of 0 makes them AVAILABLE.
func (s *Server) MarkCopying(imageID string, elapsed, total time.Duration, regions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.markLocked(imageID, regions, copyState{start: time.Now().Add(-elapsed), dur: total})
}

// MarkFailed makes imageID's copies to regions fail where they are, as a
// copy task does when it fails: ListImage shows each CREATE_FAILED at the
// progress it had reached, and a region with no copy gets one failed at
// 0%. The API documents no failed-copy status; CREATE_FAILED is the image
// status vocabulary, which the Cloud Phone sibling API uses for copies
// (API-NOTES §1, §7). A failed region no longer holds the image, so a new
// call starts it again.
func (s *Server) MarkFailed(imageID string, regions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for _, r := range regions {
		cp, ok := s.distributed[imageID][r]
		if ok && !cp.failed {
			_, cp.failedAt = cp.progress(now)
		}
		cp.failed = true
		s.markLocked(imageID, []string{r}, cp)
	}
}

// markLocked records cp as the copy of imageID in each of regions, made
// of the catalogued image's current version unless cp names one.
func (s *Server) markLocked(imageID string, regions []string, cp copyState) {
	if img := s.images[imageID]; img != nil && cp.version == "" {
		cp.version = img.VersionID
	}
	have := s.distributed[imageID]
	if have == nil {
		have = make(map[string]copyState)
		s.distributed[imageID] = have
	}
	for _, r := range regions {
		have[r] = cp
	}
}

// cloneCalls copies deeply enough that callers cannot alter recorded calls.
func cloneCalls(cs []Call) []Call {
	out := slices.Clone(cs)
	for i := range out {
		out[i].DestinationRegions = slices.Clone(out[i].DestinationRegions)
		p := make(url.Values, len(out[i].Params))
		for k, v := range out[i].Params {
			p[k] = slices.Clone(v)
		}
		out[i].Params = p
	}
	return out
}
