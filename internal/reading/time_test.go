package reading_test

import (
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/reading"
)

func TestParseTime(t *testing.T) {
	// 2025-04-25 15:13:57 in UTC+8, the documented example.
	want := time.Date(2025, 4, 25, 7, 13, 57, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2025-04-25 15:13:57", want},
		{"2025-04-25T15:13:57", want},
		{"2025-04-25T07:13:57Z", want},
		{"2025-04-25T15:13:57+08:00", want},
		{"2025-04-25T15:13:57+0800", want},
		{"2025-04-25 15:13:57+08:00", want},
		{"2025-04-25T07:13:57.250Z", want.Add(250 * time.Millisecond)},
		{"2025-04-25 15:13:57.5", want.Add(500 * time.Millisecond)},
		{"2025-04-25T15:13:57.123456+08:00", want.Add(123456 * time.Microsecond)},
		{"2025-04-25T02:13:57-05:00", want},
	}
	for _, tc := range tests {
		got, ok := reading.ParseTime(tc.in)
		if !ok || !got.Equal(tc.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, true", tc.in, got, ok, tc.want)
		}
	}
	for _, bad := range []string{"", "2025/04/25 15:13:57", "1745565237", "25 Apr 2025", "2025-04-25", "2025-13-25 15:13:57"} {
		if got, ok := reading.ParseTime(bad); ok {
			t.Errorf("ParseTime(%q) = %v, true; want false", bad, got)
		}
	}
}
