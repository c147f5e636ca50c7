package cron_test

import (
	"strings"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/cron"
)

func TestPeriod(t *testing.T) {
	tests := []struct {
		expr string
		want time.Duration
	}{
		{"0 */5 * * * *", 5 * time.Minute},
		{"0 0/5 * * * *", 5 * time.Minute},
		{"0 * * * * *", time.Minute},
		{"* * * * * *", time.Second},
		{"*/30 * * * * *", 30 * time.Second},
		{"0 0 * * * *", time.Hour},
		{"0 0 4 * * *", 24 * time.Hour},
		// 0, 7, …, 56 and then 0 again: the shortest gap is the wrap.
		{"0 */7 * * * *", 4 * time.Minute},
		{"0 0,1 * * * *", time.Minute},
		{"0 10-20/5 * * * *", 5 * time.Minute},
		{"0 5/20 * * * *", 20 * time.Minute},
		{"0 0 9 * * MON-FRI", 24 * time.Hour},
		{"0 0 9 ? * MON", 7 * 24 * time.Hour},
		{"0 0 0 1 JAN ?", 365 * 24 * time.Hour},
		// Both day fields restricted: either counts, never a longer period.
		{"0 0 0 1 * MON", 24 * time.Hour},
		{"@every 5m", 5 * time.Minute},
		{"@every 1h30m", 90 * time.Minute},
		{"  0 */5 * * * *  ", 5 * time.Minute},
	}
	for _, tc := range tests {
		got, err := cron.Period(tc.expr)
		if err != nil || got != tc.want {
			t.Errorf("Period(%q) = %v, %v, want %v", tc.expr, got, err, tc.want)
		}
	}
}

// TestPeriodRefuses: a form whose period cannot be told is an error, never
// a guess.
func TestPeriodRefuses(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"*/5 * * * *", "has 5 fields"},
		{"0 */5 * * * * *", "has 7 fields"},
		{"0 0 0 L * ?", `"L" is not a value`},
		{"0 0 0 ? * 1#2", `"1#2" is not a value`},
		{"0 0 0 15W * ?", `"15W" is not a value`},
		{"0 */0 * * * *", "not a positive number"},
		{"0 60 * * * *", `"60" is not a value from 0 to 59`},
		{"0 ? * * * *", `"?" is not a value`},
		{"0 30-10 * * * *", "runs backwards"},
		{"0 0 0 30 FEB ?", "at most once in 28 years"},
		{"@every soon", "positive duration"},
		{"@every -5m", "positive duration"},
		{"", "has 0 fields"},
	}
	for _, tc := range tests {
		if got, err := cron.Period(tc.expr); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Period(%q) = %v, %v, want an error containing %q", tc.expr, got, err, tc.want)
		}
	}
}
