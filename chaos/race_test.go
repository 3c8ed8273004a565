//go:build race

package chaos

import "time"

// raceDetector is on: it makes byte-heavy paths (reading a 20 MiB answer)
// several times slower, so the suite asks fewer giant answers at once.
const raceDetector = true

// raceSlack is added to the suite's deadlines.
const raceSlack = 1500 * time.Millisecond
