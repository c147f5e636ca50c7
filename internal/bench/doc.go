// Package bench measures image-distributor against its floor, a bare
// fc.Start function under the same FC runtime emulator: cold start, warm
// invocation overhead, timer-batch QPS utilisation, peak RSS and binary
// size. It holds benchmarks only; BENCHMARKS.md has the command and figures.
package bench
