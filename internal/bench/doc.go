// Package bench measures image-distributor against its floor, a bare
// fc.Start function under the same FC runtime emulator: cold start, warm
// invocation overhead, timer-batch QPS utilisation, peak RSS and binary
// size. It also measures the timer alone: the latency from a new image
// turning AVAILABLE to its copy's start with no event, and the cost of a
// tick with nothing to copy. It holds benchmarks only; BENCHMARKS.md has
// the commands and figures.
package bench
