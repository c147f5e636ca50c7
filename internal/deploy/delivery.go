package deploy

import (
	"strconv"
	"strings"
)

// delivery checks that a failed event is retried and then kept whichever
// way FC reads asyncInvocationType. FC 2.0 and the 2024 FC 3.0 pages say
// true is asynchronous, the 2026 FC 3.0 pages say true is synchronous.
// Asynchronous, FC's asyncInvokeConfig applies; synchronous, only the
// trigger's own runOptions do. So both must say the same thing.
func (p *problems) delivery(s Spec) {
	for _, t := range s.Triggers {
		if t.Type != "eventbridge" {
			continue
		}
		d := t.Delivery
		if d.RunMode != "event-driven" {
			p.add(s.File, "eventbridge trigger %s runOptions.mode is %q, want event-driven: one CloudEvent per invocation, the only mode the Default bus supports", t.Name, d.RunMode)
		}
		if d.SinkMode != "" && d.SinkMode != "event-driven" {
			p.add(s.File, "eventbridge trigger %s deliveryOption.mode is %q, want event-driven as in runOptions", t.Name, d.SinkMode)
		}
		if d.EventSchema != "CloudEvents" {
			p.add(s.File, "eventbridge trigger %s deliveryOption.eventSchema is %q, want CloudEvents: trigger.Decode reads the envelope, RawData drops it", t.Name, d.EventSchema)
		}
		if d.ErrorsTolerance != "ALL" {
			p.add(s.File, "eventbridge trigger %s runOptions.errorsTolerance is %q, want ALL: with NONE a failed event blocks delivery instead of reaching the dead-letter queue", t.Name, d.ErrorsTolerance)
		}
		// BACKOFF_RETRY is documented as at most 3 retries 10–20 s apart.
		// That bound holds even if FC 3.0 ignores MaximumRetryAttempts,
		// which its RetryStrategy model does not list; the other strategy
		// retries a malformed event 176 times over a day.
		if d.PushRetryStrategy != "BACKOFF_RETRY" {
			p.add(s.File, "eventbridge trigger %s retryStrategy.PushRetryStrategy is %q, want BACKOFF_RETRY (at most 3 retries whatever else is read)", t.Name, d.PushRetryStrategy)
		}
		if n, err := strconv.Atoi(d.MaxRetries); err != nil || n < 1 || n > 3 {
			p.add(s.File, "eventbridge trigger %s retryStrategy.MaximumRetryAttempts is %q, want 1 to 3, the most BACKOFF_RETRY makes", t.Name, d.MaxRetries)
		}
		a := s.Async
		if a == nil {
			continue // async() reports it
		}
		if d.MaxRetries != a.MaxRetries || d.MaxAgeSeconds != a.MaxAgeSeconds {
			p.add(s.File, "eventbridge trigger %s retries/age %s/%s differ from asyncInvokeConfig's %s/%s: they must not depend on how FC reads asyncInvocationType",
				t.Name, d.MaxRetries, d.MaxAgeSeconds, a.MaxRetries, a.MaxAgeSeconds)
		}
		if d.DeadLetter == "" || d.DeadLetter+"/messages" != a.OnFailure {
			p.add(s.File, "eventbridge trigger %s deadLetterQueue.Arn is %q, want %q: the on-failure queue, whose ARN ends before /messages",
				t.Name, d.DeadLetter, strings.TrimSuffix(a.OnFailure, "/messages"))
		}
	}
}

// logs checks that the function's logstore is named in the file, so the
// role's log grant can name exactly it.
func (p *problems) logs(s Spec) {
	l := s.Logs
	switch {
	case l == nil:
		p.add(s.File, "no logConfig: the function's JSON lines would be lost")
	case l.Project == "auto":
		p.add(s.File, "logConfig is auto, whose project name is made up at deploy time; name the project and logstore so the role can be granted exactly that logstore")
	case l.Project == "" || l.Logstore == "":
		p.add(s.File, "logConfig names project %q and logstore %q, want both", l.Project, l.Logstore)
	}
}
