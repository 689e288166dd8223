package app_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/app"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// TestSlowClientIsCutOff: a client that sends its headers and then
// trickles the body a byte at a time is disconnected once the request read
// timeout passes, instead of holding the connection for as long as it likes.
func TestSlowClientIsCutOff(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fake := discordtest.NewServer(t, discordtest.Options{ApplicationID: appID, BotToken: botToken})
	m := &app.Main{Config: testConfig(t, fake.URL(), pub)}
	startMain(t, m, io.Discard)
	t.Cleanup(func() { _ = m.Close() })

	conn, err := net.Dial("tcp", m.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// 200 bytes at 4 a second would take 50 s.
	head := "POST /interactions HTTP/1.1\r\nHost: engine\r\nContent-Type: application/json\r\n" +
		"X-Signature-Ed25519: 00\r\nX-Signature-Timestamp: 0\r\nContent-Length: 200\r\n\r\n"
	if _, err := conn.Write([]byte(head)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	const limit = 15 * time.Second
	closed := make(chan struct{})
	go func() {
		// Whatever the server answers, it then closes the connection.
		_, _ = io.Copy(io.Discard, conn)
		close(closed)
	}()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-closed:
			if took := time.Since(start); took > 8*time.Second {
				t.Errorf("the slow client was cut off after %s, want within the read timeout", took)
			}
			return
		case <-tick.C:
			if time.Since(start) > limit {
				t.Fatalf("a client trickling its body still holds the connection after %s", limit)
			}
			if _, err := conn.Write([]byte{' '}); err != nil && !errors.Is(err, syscall.EPIPE) &&
				!errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Logf("write: %v", err)
			}
		}
	}
}
