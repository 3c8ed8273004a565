// Package chaos holds the fan-out-level chaos suite (chaos_test.go): the
// real adapters against the real simulators, each agency in turn driven
// through every fault under concurrent load, plus the network faults no
// simulator can make (refused, a listener that never answers, a reset in the
// middle of the body). It has no code of its own.
package chaos
