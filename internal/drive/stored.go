package drive

import (
	"encoding/json"
	"fmt"

	"github.com/jodo-org/jodo/internal/store"
)

// Calendar is the calendar of a stored drive (its dates and zone): what
// its days, days left and phase are reckoned by.
func Calendar(d store.Drive) *File {
	return &File{StartsOn: d.StartsOn, EndsOn: d.EndsOn, Timezone: d.Timezone}
}

// Open reads a drive file as the store keeps it. Parse validated it when it
// was saved, so Open only decodes it, and checks the one thing that depends
// on the host: that its time zone loads. The File it gives answers
// Location and Day for the drive's calendar.
func Open(stored []byte) (File, error) {
	var f File
	if err := json.Unmarshal(stored, &f); err != nil {
		return File{}, fmt.Errorf("drive: stored file: %w", err)
	}
	if _, err := Zone(f.Timezone); err != nil {
		return File{}, fmt.Errorf("drive %s: time zone: %w", f.Slug, err)
	}
	return f, nil
}
