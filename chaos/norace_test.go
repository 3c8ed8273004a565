//go:build !race

package chaos

const raceDetector = false

// raceSlack is added to the suite's deadlines.
const raceSlack = 0
