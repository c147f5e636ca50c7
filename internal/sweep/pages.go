package sweep

import "time"

// Tick is one timer run as the policy sees it: the tick's own triggerTime
// and the timer's period. Which tick it is follows from these alone, so a
// warm instance and a fresh one make the same choices, and a retried tick
// repeats its own.
type Tick struct {
	At     time.Time
	Period time.Duration
	// Pages is how many pages after page 1 the tick can be counted on to
	// list (PagesPerTick); fixed when the tick starts, from figures that
	// are the same for every tick of one deployment.
	Pages int
}

// Index numbers the tick: the periods since the Unix epoch.
func (t Tick) Index() int64 {
	if t.Period <= 0 {
		return 0
	}
	i := t.At.UnixNano() / int64(t.Period)
	if t.At.UnixNano() < 0 && t.At.UnixNano()%int64(t.Period) != 0 {
		i-- // floor, not truncation, before 1970
	}
	return i
}

// PagesPerTick is how many pages after page 1 a tick can be counted on to
// list within budget: a quarter of the calls the budget allows at rate
// calls per second, so that retries and the copies the pages call for
// have the rest. It is at least 1.
func PagesPerTick(budget time.Duration, rate float64) int {
	return max(1, int(budget.Seconds()*rate/4))
}

// Pages is the order in which a tick lists pages 2..n, of which it can be
// counted on to list k. The pages are cut into Cycle(n, k) runs of k;
// tick i starts at the first page of run i mod Cycle(n, k) and walks
// forward, wrapping round, so any Cycle(n, k) consecutive ticks start at
// every run and every page is among some tick's first k, whether the
// ticks land on one instance or on fresh ones. A listing that grows moves
// the runs only when it grows by a run, not with every page, as a start of
// i·k mod (n−1) would. A page that fails is passed, not returned to: the
// next tick starts where its index says, not where this one stopped.
func Pages(n int, index int64, k int) []int {
	if n < 2 {
		return nil
	}
	m, c := int64(n-1), int64(Cycle(n, k))
	start := ((index%c + c) % c) * int64(k) % m
	order := make([]int, 0, n-1)
	for i := range m {
		order = append(order, 2+int((start+i)%m))
	}
	return order
}

// Cycle is how many ticks it takes for pages 2..n to each be among a
// tick's first k: ⌈(n−1)/k⌉, and 1 when the listing fits in one tick.
func Cycle(n, k int) int {
	if n < 2 || k < 1 {
		return 1
	}
	return (n - 2 + k) / k
}

// TickMargin is kept back before the next tick is due, so that a tick's
// last calls are answered before the next tick starts the same copies
// from another instance.
const TickMargin = 5 * time.Second

// MaxRetryAge is the oldest a tick can be when FC delivers it again: the
// deploy files' maxAsyncEventAgeInSeconds, which the deploy check holds
// to it. An older triggerTime is not a retry but a replay (a sample run
// by hand), which has no next tick to give way to.
const MaxRetryAge = time.Hour

// End is when t's work must be over: TickMargin before the next tick is
// due.
func (t Tick) End() time.Time { return t.At.Add(t.Period - TickMargin) }

// Superseded reports that a retry of t arrives at now, when the next tick
// is already due: it must do nothing, or it would start copies beside
// that tick.
func (t Tick) Superseded(now time.Time) bool {
	return !now.Before(t.End()) && now.Sub(t.At) < MaxRetryAge
}
