//go:build !race

package legacy

// cpuScale: without the race detector the absolute CPU bounds hold as written.
const cpuScale = 1
