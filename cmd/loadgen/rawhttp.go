package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"
)

// The load generator speaks HTTP/1.1 itself over kept-alive connections:
// requests are serialized once, and a response is read by its status line
// and Content-Length. net/http's client costs several times more CPU per
// request, and on a 2-core machine that CPU is taken from the server being
// measured.

// wire is one request serialized for the wire.
type wire []byte

// serialize builds the bytes of each signed request for url.
func serialize(rawURL string, pool []signed) ([]wire, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "", err
	}
	out := make([]wire, len(pool))
	for i, s := range pool {
		var b bytes.Buffer
		fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n", u.RequestURI(), u.Host)
		fmt.Fprintf(&b, "X-Signature-Ed25519: %s\r\nX-Signature-Timestamp: %s\r\nContent-Length: %d\r\n\r\n", s.signature, s.timestamp, len(s.body))
		b.Write(s.body)
		out[i] = b.Bytes()
	}
	return out, u.Host, nil
}

// conn is one kept-alive connection.
type conn struct {
	addr string
	c    net.Conn
	r    *bufio.Reader
}

func (c *conn) roundTrip(ctx context.Context, req wire) error {
	if c.c == nil {
		d := net.Dialer{Timeout: 5 * time.Second}
		nc, err := d.DialContext(ctx, "tcp", c.addr)
		if err != nil {
			return err
		}
		c.c, c.r = nc, bufio.NewReaderSize(nc, 16<<10)
	}
	_ = c.c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.c.Write(req); err != nil {
		c.close()
		return err
	}
	if err := c.readResponse(); err != nil {
		c.close()
		return err
	}
	return nil
}

// readResponse reads one response and fails unless its status is 200.
func (c *conn) readResponse() error {
	status, err := c.r.ReadSlice('\n')
	if err != nil {
		return err
	}
	ok := bytes.HasPrefix(status, []byte("HTTP/1.1 200"))
	length, closeAfter := -1, false
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		k, v, _ := bytes.Cut(line, []byte(":"))
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			length, _ = strconv.Atoi(string(v))
		case bytes.EqualFold(k, []byte("Connection")) && bytes.EqualFold(v, []byte("close")):
			closeAfter = true
		}
	}
	if length < 0 {
		return fmt.Errorf("response without Content-Length: %q", bytes.TrimSpace(status))
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(c.r, body); err != nil {
		return err
	}
	if closeAfter {
		c.close()
	}
	if !ok {
		return fmt.Errorf("%s: %s", bytes.TrimSpace(status), bytes.TrimSpace(body))
	}
	return nil
}

func (c *conn) close() {
	if c.c != nil {
		_ = c.c.Close()
		c.c = nil
	}
}
