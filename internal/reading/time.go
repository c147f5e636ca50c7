package reading

import "time"

// apiZone is the zone GmtCreate is documented in on the China site: China
// Standard Time, which has no daylight saving, so a fixed zone is exact.
// The international site's zone is not documented (API-NOTES §8); a time
// that names no zone is read in this one there too.
var apiZone = time.FixedZone("UTC+8", 8*60*60)

// timeLayouts are the forms of GmtCreate the function reads: the documented
// "2025-04-25 15:13:57", and the ISO 8601 forms an API is as likely to send
// (with T, with Z or an offset, with or without a colon in it). Fractional
// seconds are accepted after any of them: Go's parser takes them even where
// the layout has none.
var timeLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.DateTime, false},
	{"2006-01-02T15:04:05", false},
	{time.RFC3339, true},
	{"2006-01-02T15:04:05Z0700", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04:05Z0700", true},
}

// ParseTime reads a GmtCreate value. A time without a zone is UTC+8, as
// documented; one with a zone keeps it. It reports false for anything
// else, which the caller must count (see Tally), never take for "no time".
func ParseTime(s string) (time.Time, bool) {
	for _, l := range timeLayouts {
		var t time.Time
		var err error
		if l.zoned {
			t, err = time.Parse(l.layout, s)
		} else {
			t, err = time.ParseInLocation(l.layout, s, apiZone)
		}
		if err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
