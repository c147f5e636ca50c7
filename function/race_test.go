//go:build race

package main_test

// raceEnabled says the tests were built with -race, so cgo and a C
// compiler are at hand to build the function with -race too.
const raceEnabled = true
