// Package latproxy is a TCP proxy on loopback that delays every chunk of
// bytes by a fixed time in each direction, so a client and a server on one
// machine talk as if across a network (a database on another host). It
// keeps the order of bytes and does not limit throughput: a chunk read at
// t is written at t+delay however many chunks are in flight.
package latproxy

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"time"
)

// DefaultDelay is the one-way delay of a database on another host in the
// same data centre (a round trip costs twice it).
const DefaultDelay = 500 * time.Microsecond

// DaemonPackage is the command that runs a Proxy in a process of its own
// (tests: storetest, with JODO_TEST_PG_LATENCY).
const DaemonPackage = "github.com/jodo-org/jodo/internal/latproxy/latproxyd"

// Proxy accepts connections on 127.0.0.1 and forwards each to its target.
type Proxy struct {
	ln     net.Listener
	target string
	delay  time.Duration
	wait   waiter

	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

// New starts a proxy on 127.0.0.1:0 to target (host:port) adding delay
// each way.
func New(target string, delay time.Duration) (*Proxy, error) {
	if delay < 0 {
		return nil, fmt.Errorf("latproxy: negative delay %s", delay)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("latproxy: %w", err)
	}
	p := &Proxy{ln: ln, target: target, delay: delay, wait: newWaiter(), conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Close stops accepting, ends every proxied connection and waits for the
// proxy's goroutines.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	err := p.ln.Close()
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

// track remembers c so that Close ends it; false once the proxy is closed.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) forget(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

func (p *Proxy) serve(client net.Conn) {
	defer p.wg.Done()
	defer client.Close()
	if !p.track(client) {
		return
	}
	defer p.forget(client)
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	if !p.track(server) {
		return
	}
	defer p.forget(server)
	var wg sync.WaitGroup
	wg.Go(func() { p.pipe(server, client) })
	wg.Go(func() { p.pipe(client, server) })
	wg.Wait()
}

// chunk is what one read returned and when.
type chunk struct {
	data []byte
	at   time.Time
}

// pipe copies src to dst, each chunk delay after it was read: the reader
// stamps chunks and queues them, a writer waits out each one's delay, so
// chunks in flight overlap their delays. At src's end it half-closes dst.
func (p *Proxy) pipe(dst, src net.Conn) {
	queue := make(chan chunk, 4096)
	go func() {
		defer close(queue)
		buf := make([]byte, 64<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				queue <- chunk{data: append([]byte(nil), buf[:n]...), at: time.Now()}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range queue {
		p.wait(c.at.Add(p.delay))
		if _, err := dst.Write(c.data); err != nil {
			src.Close()
			dst.Close()
			for range queue { // let the reader end
			}
			return
		}
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		tc.CloseWrite()
	} else {
		dst.Close()
	}
}

// PostgresURL rewrites a postgres:// URL's host and port to addr (the
// proxy's), keeping its user, database and parameters.
func PostgresURL(raw, addr string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("latproxy: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return "", fmt.Errorf("latproxy: %q is not a postgres:// URL", raw)
	}
	u.Host = addr
	return u.String(), nil
}

// Target is the host:port a postgres:// URL points at (5432 when it names
// no port).
func Target(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("latproxy: %w", err)
	}
	if u.Hostname() == "" {
		return "", errors.New("latproxy: the URL names no host")
	}
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	return net.JoinHostPort(u.Hostname(), port), nil
}

// ForPostgres starts a proxy in front of the server a postgres:// URL
// names and returns it with the URL rewritten to go through it.
func ForPostgres(raw string, delay time.Duration) (*Proxy, string, error) {
	target, err := Target(raw)
	if err != nil {
		return nil, "", err
	}
	p, err := New(target, delay)
	if err != nil {
		return nil, "", err
	}
	u, err := PostgresURL(raw, p.Addr())
	if err != nil {
		p.Close()
		return nil, "", err
	}
	return p, u, nil
}
