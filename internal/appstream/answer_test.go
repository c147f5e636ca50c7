package appstream_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// want is what an answer must come back as: an error's code, class,
// request ID and HTTP status, or (code "") a started task. A request ID of
// fromHeader is the one the stand-in put in the X-Acs-Request-Id header.
type want struct {
	code      string
	class     appstream.Class
	requestID string
	status    int
}

// TestEveryAnswerIsReadTheSameWay: each answer is classified by its own
// code and status, whatever the types of its fields, whatever the SDK
// makes of it, and a 2xx is a success only when its envelope says so.
const fromHeader = "header"

func TestEveryAnswerIsReadTheSameWay(t *testing.T) {
	raw := func(status int, body string) appstreamtest.Response {
		return appstreamtest.Response{Status: status, RawBody: body}
	}
	tests := []struct {
		name string
		resp appstreamtest.Response
		want want
	}{
		// Bodies the SDK's own parser panics on.
		{"numeric request ID", raw(400, `{"Code":"ImageDistribute.RepeatedDistribution","RequestId":12345}`),
			want{"ImageDistribute.RepeatedDistribution", appstream.AlreadyDone, "12345", 400}},
		{"string access-denied detail", raw(403, `{"Code":"Forbidden.RAM","Message":"no","RequestId":"R1","AccessDeniedDetail":"x"}`),
			want{"Forbidden.RAM", appstream.Permanent, "R1", 403}},
		{"numeric message", raw(400, `{"Code":"ImageRegion.NotConfigured","Message":42,"RequestId":"R2"}`),
			want{"ImageRegion.NotConfigured", appstream.Deferred, "R2", 400}},
		{"numeric 5xx code", raw(503, `{"Code":503,"Message":"busy","RequestId":"R3"}`),
			want{"503", appstream.Retryable, "R3", 503}},
		{"object code", raw(400, `{"Code":{"x":1},"RequestId":"R4"}`),
			want{appstream.CodeMalformed, appstream.Permanent, "R4", 400}},
		// 429 is throttling whatever the body.
		{"429 json", raw(429, `{"Code":"TooManyRequests","RequestId":"R5"}`), want{"TooManyRequests", appstream.Retryable, "R5", 429}},
		{"429 html", raw(429, `<html><body>429 Too Many Requests</body></html>`), want{appstream.CodeMalformed, appstream.Retryable, fromHeader, 429}},
		{"429 empty", appstreamtest.Response{Status: 429, Empty: true}, want{appstream.CodeMalformed, appstream.Retryable, fromHeader, 429}},
		// A 200 is an error when its envelope says so.
		{"200 error code, no Success", raw(200, `{"Code":"Forbidden.RAM","Message":"no","RequestId":"R6"}`),
			want{"Forbidden.RAM", appstream.Permanent, "R6", 200}},
		{"200 numeric error code, no Success", raw(200, `{"Code":400,"Message":"bad","RequestId":"R7"}`),
			want{"400", appstream.Permanent, "R7", 200}},
		{"200 Success false, code 500", raw(200, `{"Success":false,"Code":"500","RequestId":"R8"}`), want{"500", appstream.Retryable, "R8", 200}},
		{"200 Success false, code 503", raw(200, `{"Success":false,"Code":503,"RequestId":"R9"}`), want{"503", appstream.Retryable, "R9", 200}},
		{"200 Success false, unavailable", raw(200, `{"Success":false,"Code":"ServiceUnavailable"}`), want{"ServiceUnavailable", appstream.Retryable, fromHeader, 200}},
		{"200 Success false, no code", raw(200, `{"Success":false,"Code":200}`), want{appstream.CodeMalformed, appstream.Retryable, fromHeader, 200}},
		{"200 Success not a bool", raw(200, `{"Success":"yes","Data":"tid-1"}`), want{appstream.CodeMalformed, appstream.Retryable, fromHeader, 200}},
		// Success:true is started only with a task ID.
		{"200 numeric Data", raw(200, `{"Success":true,"Code":200,"Data":12345,"RequestId":"RA"}`), want{appstream.CodeMalformed, appstream.Retryable, "RA", 200}},
		{"200 object Data", raw(200, `{"Success":true,"Data":{"TaskId":"tid-1"}}`), want{appstream.CodeMalformed, appstream.Retryable, fromHeader, 200}},
		{"200 null Data", raw(200, `{"Success":true,"Data":null}`), want{appstream.CodeMalformed, appstream.Retryable, fromHeader, 200}},
		{"200 numeric request ID", raw(200, `{"Success":true,"Code":200,"Data":"tid-abc","RequestId":777}`), want{requestID: "777"}},
		{"200 without Success", raw(200, `{"Code":"200","Data":"tid-abc","RequestId":"RB"}`), want{requestID: "RB"}},
		// Bounded: an error page larger than anything the client keeps.
		{"huge 502", raw(502, `{"Code":"X","Message":"`+strings.Repeat("a", 1<<19)+`"}`), want{appstream.CodeMalformed, appstream.Retryable, fromHeader, 502}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := newClient(t)
			srv.Script(tc.resp)
			got, err := c.Distribute(context.Background(), testCreds, dist)
			if tc.want.code == "" {
				if err != nil || got.TaskID != "tid-abc" || got.RequestID != tc.want.requestID {
					t.Fatalf("Distribute() = %+v, %v, want task tid-abc, request %s", got, err, tc.want.requestID)
				}
				return
			}
			var ae *appstream.Error
			if !errors.As(err, &ae) {
				t.Fatalf("Distribute() = %+v, %v, want *appstream.Error", got, err)
			}
			if tc.want.requestID == fromHeader {
				tc.want.requestID = srv.Calls()[0].RequestID
			}
			if g := (want{ae.Code, ae.Class, ae.RequestID, ae.HTTPStatus}); g != tc.want {
				t.Errorf("Distribute() error = %+v, want %+v (%v)", g, tc.want, err)
			}
			if got != (appstream.Started{}) {
				t.Errorf("Distribute() = %+v with an error, want nothing started", got)
			}
			assertClean(t, err)
		})
	}
}
