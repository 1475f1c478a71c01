package app

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// metricsListener serves /metrics on an address of its own
// (JODO_METRICS_ADDR), kept off the public one: a private interface or a
// port only Prometheus can reach.
type metricsListener struct {
	ln  net.Listener
	srv *http.Server
}

// listenMetrics listens on addr; "" listens nowhere (nil, nil). It
// listens before anything starts, so a bad address fails start.
func listenMetrics(addr string) (*metricsListener, error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &metricsListener{ln: ln}, nil
}

// serve serves h until shutdown; a nil listener does nothing.
func (m *metricsListener) serve(h http.Handler, log *slog.Logger) {
	if m == nil {
		return
	}
	m.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("serving metrics", "addr", m.ln.Addr().String())
	go func() {
		if err := m.srv.Serve(m.ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server failed", "err", err)
		}
	}()
}

// shutdown stops serving, or closes a listener never served.
func (m *metricsListener) shutdown(ctx context.Context) error {
	if m == nil {
		return nil
	}
	if m.srv == nil {
		return m.ln.Close()
	}
	return m.srv.Shutdown(ctx)
}
