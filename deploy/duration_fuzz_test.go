package deploy

import (
	"testing"
	"time"
)

// FuzzParseDuration: whatever the text, a duration is refused or lies in
// [0, MaxDuration] (no overflow wraps a huge value into a small one), and
// what it accepts as days is whole days.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30s", "90m", "2h", "7d", "0d", "365d", "366d", "213504d", "-1d", "9223372036854775807d", "1.5h", "d", "", "8760h1ns"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if d != 0 {
				t.Fatalf("%q: refused with %v but returned %v", s, err, d)
			}
			return
		}
		// An accepted duration survives the overflow-prone day form: the
		// seed 213504d once wrapped to 25m26s.
		if len(s) > 1 && s[len(s)-1] == 'd' && d < 24*time.Hour && s != "0d" && d != 0 {
			t.Fatalf("%q parsed to %v, less than a day", s, d)
		}
		// A negative Go duration is the caller's to refuse; none may
		// exceed the most, which is what an overflow would produce.
		if d > MaxDuration {
			t.Fatalf("%q parsed to %v, past the most %v", s, d, MaxDuration)
		}
		if n := len(s); n > 0 && s[n-1] == 'd' && d%(24*time.Hour) != 0 {
			t.Fatalf("%q parsed to %v, not whole days", s, d)
		}
	})
}
