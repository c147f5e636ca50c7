package appstreamtest

import (
	"hash/fnv"
	"math/rand/v2"
	"net/url"
	"time"
)

// Fault is a failure the injector plays on a call (InjectFaults). Each
// says whether the action ran, and so whether a copy was recorded, before
// the failure. Sources: API-NOTES §3.4 and §5 (throttling and 503 bodies,
// the SDK's panics on non-string fields, 200 bodies the SDK takes for
// success); the HTML and 429 pages are inferred.
type Fault string

// The faults. "Nothing done" faults answer before the action runs; the
// others run it, then spoil its answer.
const (
	// FaultThrottling answers 400 Throttling.User; nothing done.
	FaultThrottling Fault = "throttling"
	// FaultTooManyRequests answers HTTP 429 with a JSON, an HTML or an
	// empty body (inferred: a proxy in front of the gateway); nothing done.
	FaultTooManyRequests Fault = "too-many-requests"
	// FaultUnavailable answers 503 ServiceUnavailable; nothing done.
	FaultUnavailable Fault = "unavailable"
	// FaultServerError answers the gateway's 500 InternalError; nothing done.
	FaultServerError Fault = "server-error"
	// FaultReset resets the connection before anything is done.
	FaultReset Fault = "reset"
	// FaultLostReply runs the action (a copy starts), then resets the
	// connection instead of answering.
	FaultLostReply Fault = "lost-reply"
	// FaultTruncated runs the action and sends the first half of its 2xx
	// body. Error answers are sent whole.
	FaultTruncated Fault = "truncated"
	// FaultNumericCode answers 503 with "Code":503, a body the SDK's error
	// parser panics on; nothing done.
	FaultNumericCode Fault = "numeric-code"
	// FaultNumericRequestID runs the action and sends its answer, success
	// or error, with RequestId a number.
	FaultNumericRequestID Fault = "numeric-request-id"
	// FaultNoData runs the action and leaves Data out of its 2xx body.
	FaultNoData Fault = "no-data"
	// FaultHTML answers a 502 HTML page (inferred); nothing done.
	FaultHTML Fault = "html"
	// FaultSlow runs the action and holds its answer for Faults.SlowDelay,
	// so a client that gives up first misses work that was done.
	FaultSlow Fault = "slow"
)

// AllFaults returns every fault, in a fixed order.
func AllFaults() []Fault {
	return []Fault{FaultThrottling, FaultTooManyRequests, FaultUnavailable, FaultServerError, FaultReset,
		FaultLostReply, FaultTruncated, FaultNumericCode, FaultNumericRequestID, FaultNoData, FaultHTML, FaultSlow}
}

// FaultPlan is how the calls of one action are faulted.
type FaultPlan struct {
	// Rate is the share of calls, from 0 to 1, that get a fault.
	Rate float64
	// Weights are the faults' relative frequencies; nil weighs every
	// fault of AllFaults equally.
	Weights map[Fault]int
}

// Faults configures InjectFaults.
type Faults struct {
	// Seed makes injection reproducible. A call's fault depends only on
	// the seed, the call's parameters (not its key, token, nonce or
	// timestamp) and how many calls with the same parameters came before
	// it: never on timing, nor on the order concurrent calls arrive in.
	Seed uint64
	// Actions maps an Action (StartTaskForDistributeImage, ListImage) to
	// its plan; other actions are never faulted.
	Actions map[string]FaultPlan
	// SlowDelay is how long FaultSlow holds an answer; 0 means 2s.
	SlowDelay time.Duration
}

// Injection counts one fault on one action, for Injected.
type Injection struct {
	Action string
	Fault  Fault
}

// injector is the state of InjectFaults, guarded by Server.mu.
type injector struct {
	Faults
	seen    map[string]uint64 // calls so far per parameter set
	counted map[Injection]int
}

// InjectFaults starts injecting f at random into calls that pass the
// gateway and the QPS limit, replacing any earlier setting and resetting
// the counts. The zero Faults stops injection.
func (s *Server) InjectFaults(f Faults) {
	if f.SlowDelay <= 0 {
		f.SlowDelay = 2 * time.Second
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = injector{Faults: f, seen: map[string]uint64{}, counted: map[Injection]int{}}
}

// Injected returns how many times each fault was played on each action.
// A fault that could not apply (truncating an error answer) is not played
// and not counted. Every counted fault is also on its Call.
func (s *Server) Injected() map[Injection]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[Injection]int, len(s.faults.counted))
	for k, v := range s.faults.counted {
		out[k] = v
	}
	return out
}

// signing are the parameters that differ between identical requests.
var signing = []string{"AccessKeyId", "SecurityToken", "SignatureNonce", "Timestamp"}

// drawLocked picks c's fault, if any, and a variant for faults that have
// several bodies.
func (s *Server) drawLocked(c *Call) (Fault, int) {
	plan, ok := s.faults.Actions[c.Action]
	if !ok || plan.Rate <= 0 {
		return "", 0
	}
	p := make(url.Values, len(c.Params))
	for k, v := range c.Params {
		p[k] = v
	}
	for _, k := range signing {
		p.Del(k)
	}
	key := p.Encode()
	n := s.faults.seen[key]
	s.faults.seen[key] = n + 1
	h := fnv.New64a()
	h.Write([]byte(key))
	rng := rand.New(rand.NewPCG(s.faults.Seed, h.Sum64()+n*0x9e3779b97f4a7c15))
	if rng.Float64() >= plan.Rate {
		return "", 0
	}
	total := 0
	weight := func(f Fault) int {
		if plan.Weights == nil {
			return 1
		}
		return max(plan.Weights[f], 0)
	}
	for _, f := range AllFaults() {
		total += weight(f)
	}
	if total == 0 {
		return "", 0
	}
	pick := rng.IntN(total)
	for _, f := range AllFaults() {
		if pick -= weight(f); pick < 0 {
			return f, rng.IntN(3)
		}
	}
	return "", 0
}
