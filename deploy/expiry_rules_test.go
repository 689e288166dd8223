package deploy

import (
	"testing"
	"time"
)

func TestParseTTL(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"", 0, false},
		{"30s", 30 * time.Second, false},
		{"90m", 90 * time.Minute, false},
		{"2h", 2 * time.Hour, false},
		{"7d", 7 * 24 * time.Hour, false},
		{"0s", 0, true},
		{"-1h", 0, true},
		{"1w", 0, true},
		{"d", 0, true},
		{"400d", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseTTL(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseTTL(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
		want := `Invalid duration "` + tc.in + `": use a duration such as 30s, 90m, 2h or 7d.`
		if tc.in == "400d" {
			want = "Duration 400d is too long: the most is 365d."
		}
		if err != nil && ErrorMessage(err) != want {
			t.Errorf("ParseTTL(%q) says %q", tc.in, ErrorMessage(err))
		}
	}
}

func TestResolveTTL(t *testing.T) {
	week := &Project{ID: "dev", TTL: 7 * 24 * time.Hour, TTLText: "7d"}
	hours := &Project{ID: "dev", TTL: 168 * time.Hour, TTLText: "168h"}
	none := &Project{ID: "dev"}
	tests := []struct {
		name    string
		p       *Project
		asked   time.Duration
		want    time.Duration
		wantErr string
	}{
		{"no ttl anywhere never expires", none, 0, 0, ""},
		{"any ttl on a project without one", none, 400 * 24 * time.Hour, 400 * 24 * time.Hour, ""},
		{"the project's is the default", week, 0, 7 * 24 * time.Hour, ""},
		{"less than the project's", week, time.Hour, time.Hour, ""},
		{"exactly the project's", week, 7 * 24 * time.Hour, 7 * 24 * time.Hour, ""},
		{"more than the project's", week, 8 * 24 * time.Hour, 0, "TTL too long: the most for project dev is 7d."},
		{"the limit as the admin wrote it", hours, 169 * time.Hour, 0, "TTL too long: the most for project dev is 168h."},
	}
	for _, tc := range tests {
		got, err := resolveTTL(tc.p, tc.asked)
		if got != tc.want || (err == nil) != (tc.wantErr == "") || (err != nil && ErrorMessage(err) != tc.wantErr) {
			t.Errorf("%s: resolveTTL = %v, %v; want %v, %q", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestReminderAt(t *testing.T) {
	exp := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		ttl  time.Duration
		want time.Time
	}{
		{10 * time.Second, exp.Add(-5 * time.Second)},
		{90 * time.Minute, exp.Add(-45 * time.Minute)},
		{2*time.Hour - time.Second, exp.Add(-(2*time.Hour - time.Second) / 2)},
		{2 * time.Hour, exp.Add(-time.Hour)},
		{7 * 24 * time.Hour, exp.Add(-time.Hour)},
	}
	for _, tc := range tests {
		if got := ReminderAt(exp, tc.ttl); !got.Equal(tc.want) {
			t.Errorf("ReminderAt(ttl %v) = %v, want %v", tc.ttl, got, tc.want)
		}
	}
}

func TestExtendTo(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	d := &Deployment{ID: "k3f9x2ab"}
	week := &Project{ID: "dev", TTL: 7 * 24 * time.Hour, TTLText: "7d"}
	none := &Project{ID: "dev"}
	day := 24 * time.Hour
	tests := []struct {
		name    string
		from    time.Time
		by      time.Duration
		p       *Project
		clamp   bool
		want    time.Time
		wantErr string
	}{
		{"within the project's ttl", now.Add(time.Hour), 2 * day, week, false, now.Add(time.Hour + 2*day), ""},
		{"no project ttl: no limit", now.Add(time.Hour), 30 * day, none, false, now.Add(time.Hour + 30*day), ""},
		{"an overdue expiry counts from now", now.Add(-time.Minute), time.Hour, week, false, now.Add(time.Hour), ""},
		{"beyond the project's ttl from now is refused", now.Add(time.Hour), 7 * day, week, false, time.Time{},
			"TTL too long: the most for project dev is 7d. An extension keeps a deployment at most that long from now."},
		{"the button is cut to the project's ttl from now", now.Add(time.Hour), 7 * day, week, true, now.Add(7 * day), ""},
		{"the button at the limit already", now.Add(7 * day), 7 * day, week, true, time.Time{},
			"Deployment k3f9x2ab already expires as late as project dev allows (7d from now)."},
	}
	for _, tc := range tests {
		got, err := extendTo(now, tc.from, tc.by, d, tc.p, tc.clamp)
		if !got.Equal(tc.want) || (err == nil) != (tc.wantErr == "") || (err != nil && ErrorMessage(err) != tc.wantErr) {
			t.Errorf("%s: extendTo = %v, %v; want %v, %q", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestExpiryRetryDue(t *testing.T) {
	last := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		after    time.Duration
		interval time.Duration
		attempts int
		want     bool
	}{
		{"not in the same loop", time.Second, 5 * time.Minute, 1, false},
		{"at the next loop", 5 * time.Minute, 5 * time.Minute, 1, true},
		{"the second retry waits twice as long", 5 * time.Minute, 5 * time.Minute, 2, false},
		{"and then comes", 10 * time.Minute, 5 * time.Minute, 2, true},
		{"the wait stops growing at six hours", 6 * time.Hour, 5 * time.Minute, 40, true},
		{"a tiny interval still waits a second", 500 * time.Millisecond, time.Millisecond, 1, false},
	}
	for _, tc := range tests {
		if got := expiryRetryDue(last.Add(tc.after), last, tc.interval, tc.attempts); got != tc.want {
			t.Errorf("%s: expiryRetryDue = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second: "10s", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h", 7 * 24 * time.Hour: "7d",
		25 * time.Hour: "25h", 5 * time.Minute: "5m",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
