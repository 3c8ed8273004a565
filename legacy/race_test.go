//go:build race

package legacy

// cpuScale is how much slower the race detector makes CPU-bound parsing
// (it instruments every memory access: 5–10× measured here), applied to
// the absolute CPU bounds of the limit tests. The linearity checks need none.
const cpuScale = 10
