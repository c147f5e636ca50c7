package fctest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

func TestLogBufferLines(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   []string
	}{
		{"empty", nil, nil},
		{"complete lines", []string{"a\nb\n"}, []string{"a", "b"}},
		{"partial last line", []string{"a\n", "b"}, []string{"a", "b"}},
		{"line split across writes", []string{"he", "llo\n"}, []string{"hello"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var l fctest.LogBuffer
			for _, w := range tc.writes {
				fmt.Fprint(&l, w)
			}
			if got := l.Lines(); !slices.Equal(got, tc.want) {
				t.Errorf("Lines() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestLogBufferWaitFor(t *testing.T) {
	var l fctest.LogBuffer
	go func() {
		for i := range 5 {
			time.Sleep(5 * time.Millisecond)
			fmt.Fprintf(&l, "line %d\n", i)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := l.WaitFor(ctx, "line 4"); err != nil {
		t.Fatalf("WaitFor(%q) = %v, want nil", "line 4", err)
	}

	short, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := l.WaitFor(short, "never written"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitFor(%q) = %v, want %v", "never written", err, context.DeadlineExceeded)
	}
}
