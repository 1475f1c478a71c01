package server

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// compressMin is the smallest body worth compressing: below it gzip's
// header and trailer eat most of the saving, and the webhooks' answers
// (a few bytes) stay on the uncompressed path.
const compressMin = 1024

// compressible are the media types sent gzipped. Images (the card PNG)
// are already compressed and are sent as they are.
var compressible = []string{"text/html", "text/css", "text/plain", "text/javascript", "application/javascript", "application/json"}

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return zw
}}

var compressWriters = sync.Pool{New: func() any { return new(compressWriter) }}

// compress gzips answers of a compressible type and at least compressMin
// bytes for clients that accept gzip. For everyone else the cost is the
// Accept-Encoding check; for a small answer it is also a pooled writer
// that holds the bytes until the handler returns.
func (s *Server) compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if r.Method == http.MethodHead || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			next.ServeHTTP(w, r)
			return
		}
		cw := compressWriters.Get().(*compressWriter)
		cw.ResponseWriter = w
		defer func() {
			cw.finish()
			*cw = compressWriter{buf: cw.buf[:0]}
			compressWriters.Put(cw)
		}()
		next.ServeHTTP(cw, r)
	})
}

// acceptsGzip reads an Accept-Encoding header: gzip listed and not
// refused with q=0.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		return !refused(params)
	}
	return false
}

// refused reads a coding's parameters: a q of 0 refuses it (RFC 9110
// §12.4.2; q is case-insensitive and may sit among other parameters).
func refused(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(name, "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			return err == nil && q == 0
		}
	}
	return false
}

// compressWriter holds the first compressMin bytes, then decides: a
// compressible answer goes through gzip, anything else is passed on.
type compressWriter struct {
	http.ResponseWriter
	status  int
	buf     []byte
	decided bool
	zw      *gzip.Writer
}

func (w *compressWriter) WriteHeader(code int) {
	if code < 200 { // informational: passed on, the real status follows
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if w.status == 0 {
		w.status = code
	}
	if code == http.StatusNoContent || code == http.StatusNotModified {
		w.decide(false)
	}
}

func (w *compressWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.decided {
		if len(w.buf)+len(b) < compressMin {
			w.buf = append(w.buf, b...)
			return len(b), nil
		}
		w.decide(w.compressible())
	}
	if w.zw != nil {
		return w.zw.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

func (w *compressWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// compressible says whether what the handler set up may be gzipped: a
// listed type, not already encoded, not a byte range.
func (w *compressWriter) compressible() bool {
	h := w.Header()
	if h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" {
		return false
	}
	ct := h.Get("Content-Type")
	for _, t := range compressible {
		if strings.HasPrefix(ct, t) {
			return true
		}
	}
	return false
}

// decide writes the header, gzipped or not, and the bytes held so far.
func (w *compressWriter) decide(gz bool) {
	if w.decided {
		return
	}
	w.decided = true
	if gz {
		h := w.Header()
		h.Set("Content-Encoding", "gzip")
		h.Del("Content-Length")
		if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
			h.Set("ETag", "W/"+etag)
		}
		w.zw = gzipWriters.Get().(*gzip.Writer)
		w.zw.Reset(w.ResponseWriter)
	}
	if w.status != 0 {
		w.ResponseWriter.WriteHeader(w.status)
	}
	if len(w.buf) > 0 {
		if w.zw != nil {
			w.zw.Write(w.buf)
		} else {
			w.ResponseWriter.Write(w.buf)
		}
	}
}

// finish sends what a small answer held back and closes the gzip stream.
func (w *compressWriter) finish() {
	w.decide(false)
	if w.zw != nil {
		w.zw.Close()
		w.zw.Reset(nil)
		gzipWriters.Put(w.zw)
	}
}
