//go:build !unix

package crawl

import (
	"fmt"
	"os"
)

// lockFile falls back to an exclusive create where flock is missing; a
// killed run leaves the file behind and it must be removed by hand.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return nil, fmt.Errorf("%w (%s)", ErrLocked, path)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close(); os.Remove(path) }, nil
}
