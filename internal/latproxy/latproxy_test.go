package latproxy

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"testing"
	"time"
)

// echo starts a TCP server that writes back what it reads until EOF.
func echo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	return ln.Addr().String()
}

func start(t *testing.T, target string, delay time.Duration) *Proxy {
	t.Helper()
	p, err := New(target, delay)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestRoundTripTakesTwiceTheDelay(t *testing.T) {
	const delay = 2 * time.Millisecond
	p := start(t, echo(t), delay)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 4)
	for i := range 20 {
		t0 := time.Now()
		if _, err := c.Write([]byte("ping")); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf); err != nil {
			t.Fatal(err)
		}
		if took := time.Since(t0); took < 2*delay {
			t.Fatalf("round trip %d took %s, less than twice the delay %s", i, took, delay)
		}
		if string(buf) != "ping" {
			t.Fatalf("round trip %d echoed %q", i, buf)
		}
	}
}

// Many connections at once, each writing random bytes in random-sized
// writes and reading them back: every byte comes back, in order, and a
// half-close travels through (the echo ends, the client reads EOF).
func TestBytesIntactAndOrderedUnderConcurrentConnections(t *testing.T) {
	p := start(t, echo(t), 500*time.Microsecond)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			sent := make([]byte, 256<<10+rng.IntN(1000))
			for j := range sent {
				sent[j] = byte(rng.Uint32())
			}
			c, err := net.Dial("tcp", p.Addr())
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			go func() {
				for rest := sent; len(rest) > 0; {
					n := min(len(rest), 1+rng.IntN(9000))
					if _, err := c.Write(rest[:n]); err != nil {
						return
					}
					rest = rest[n:]
				}
				c.(*net.TCPConn).CloseWrite()
			}()
			got, err := io.ReadAll(c)
			if err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(got, sent) {
				errs <- errors.New("connection's bytes came back changed or out of order")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCloseEndsConnections(t *testing.T) {
	p := start(t, echo(t), 0)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(c, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	p.Close()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = c.Read(make([]byte, 1))
	if err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read after Close: %v, want the connection ended", err)
	}
	if _, err := net.Dial("tcp", p.Addr()); err == nil {
		t.Fatal("the proxy still accepts after Close")
	}
}

func TestPostgresURLs(t *testing.T) {
	const u = "postgres://postgres@db.example:6543/jodo?sslmode=disable"
	if got, err := Target(u); err != nil || got != "db.example:6543" {
		t.Fatalf("Target = %q, %v", got, err)
	}
	if got, err := Target("postgres://postgres@127.0.0.1/jodo"); err != nil || got != "127.0.0.1:5432" {
		t.Fatalf("Target without a port = %q, %v", got, err)
	}
	got, err := PostgresURL(u, "127.0.0.1:40000")
	if err != nil || got != "postgres://postgres@127.0.0.1:40000/jodo?sslmode=disable" {
		t.Fatalf("PostgresURL = %q, %v", got, err)
	}
	if _, err := PostgresURL("sqlite:/tmp/x.db", "127.0.0.1:1"); err == nil {
		t.Fatal("PostgresURL accepted a SQLite URL")
	}
	if _, err := New("127.0.0.1:1", -time.Millisecond); err == nil {
		t.Fatal("New accepted a negative delay")
	}
}

// BenchmarkRoundTrip is one small echo through the proxy at the default
// delay: ideally 2 × 500 µs plus loopback's own cost.
func BenchmarkRoundTrip(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			io.Copy(c, c)
		}
	}()
	p, err := New(ln.Addr().String(), DefaultDelay)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	buf := make([]byte, 4)
	for b.Loop() {
		c.Write([]byte("ping"))
		io.ReadFull(c, buf)
	}
}
