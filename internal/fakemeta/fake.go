// Package fakemeta is a fake of Meta's WhatsApp Cloud API: a real HTTP
// server on loopback that speaks Graph's documented send requests and
// answers, and posts signed webhooks the way Meta does.
//
// It ships in the jodo binary for one reason: `jodo demo` shows the
// WhatsApp bot on a machine without a Meta account by pointing the drive's
// number at this fake. Tests use the same fake as WhatsApp's stand-in.
// Nothing else in the binary uses it (`jodo serve` never starts it).
package fakemeta

import (
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Version is the Graph API version in BaseURL.
const Version = "v24.0"

// The business of PROVIDERS.md's samples, registered in every fake.
const (
	WABAID        = "102290129340398"
	PhoneNumberID = "106540352242922"
	DisplayNumber = "918047123456"
)

// FakeGraph is a real HTTP server on loopback that answers
// POST /{version}/{phone_number_id}/messages like the Cloud API: text,
// interactive and template sends get a fresh wamid, read receipts success.
// It records every request, checks the Bearer token, can fail, delay or drop
// the next requests, and builds and posts signed status webhooks for the
// messages it accepted.
//
// Point graph.Config.BaseURL at BaseURL.
type FakeGraph struct {
	URL     string // the server's root
	BaseURL string // URL + "/" + Version

	token string
	srv   *http.Server
	done  chan struct{}
	close sync.Once

	mu       sync.Mutex
	numbers  map[string]string // phone_number_id → display_phone_number
	requests []Request
	faults   []Fault
	delay    time.Duration

	// Set by Connect.
	webhook, appSecret string
	seen               func(Request)
}

// Request is one request the fake received, refused ones included.
type Request struct {
	Version       string
	PhoneNumberID string
	Authorized    bool           // the Bearer token was the fake's
	Body          []byte         // as sent
	JSON          map[string]any // Body decoded; nil when it was not a JSON object
	Type          string         // text | interactive | template, or read for a read receipt
	To            string
	ReplyTo       string // context.message_id
	MessageID     string // the wamid answered; "" for a read receipt or a refusal
	HTTPStatus    int    // 0 when the connection was dropped
	ErrorCode     int    // the Graph error code answered
	At            time.Time
}

// Fault is how the fake answers one request instead of the normal way. A
// request the fake refuses on its own (wrong token, unknown number,
// malformed body) does not use up a fault.
type Fault struct {
	// Code answers this Graph error code with its documented body instead of
	// accepting the message (130429, 131047, 131056, 131026 …).
	Code int
	// Status is the HTTP status; 0 means Code's usual one (400 for most
	// codes, 200 without a Code). A Status without a Code answers a plain
	// body that is not a Graph error, like a proxy in front of Graph would.
	Status int
	// Delay holds the answer this long; Close or the client giving up cut
	// it short. Without a Code the message is accepted first: a client that
	// stops waiting leaves a message that did go out.
	Delay time.Duration
	// Drop closes the connection without an answer, after the delay. The
	// message is accepted first unless Code is set.
	Drop bool
}

// NewFakeGraph starts a fake on 127.0.0.1 that accepts token as the Bearer
// token and knows the samples' business number. Close it when done.
func NewFakeGraph(token string) *FakeGraph {
	f := &FakeGraph{token: token, done: make(chan struct{}), numbers: map[string]string{PhoneNumberID: DisplayNumber}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{version}/{phoneNumberID}/messages", f.messages)
	mux.HandleFunc("POST /simulate/inbound", f.simulate)
	// A plain server rather than httptest's: the fake ships in the binary
	// for the demo, and a failed listen on loopback is as fatal here.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("fakemeta: listen: " + err.Error())
	}
	f.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go f.srv.Serve(ln)
	f.URL = "http://" + ln.Addr().String()
	f.BaseURL = f.URL + "/" + Version
	return f
}

// Close stops the fake, cutting short any answer it is holding.
func (f *FakeGraph) Close() {
	f.close.Do(func() {
		close(f.done)
		f.srv.Close()
	})
}

// AddNumber registers another business number. Sends from an unregistered
// phone_number_id get Graph's error 100, as from a number the token cannot
// use.
func (f *FakeGraph) AddNumber(phoneNumberID, displayNumber string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.numbers[phoneNumberID] = displayNumber
}

// Requests is every request so far, in arrival order.
func (f *FakeGraph) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// Inject queues faults for the next requests, one each, in order.
func (f *FakeGraph) Inject(faults ...Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, faults...)
}

// FailNext answers the next requests, one per code, with those Graph errors.
func (f *FakeGraph) FailNext(codes ...int) {
	for _, c := range codes {
		f.Inject(Fault{Code: c})
	}
}

// Delay holds every later answer for d (0 to stop), on top of any fault's.
func (f *FakeGraph) Delay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}

// nextFault pops the next queued fault, if any, adding the standing delay.
func (f *FakeGraph) nextFault() Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ft Fault
	if len(f.faults) > 0 {
		ft, f.faults = f.faults[0], f.faults[1:]
	}
	ft.Delay += f.delay
	return ft
}

func (f *FakeGraph) display(phoneNumberID string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.numbers[phoneNumberID]
	return d, ok
}

func (f *FakeGraph) record(r Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r)
}

// sent is the accepted message with this wamid.
func (f *FakeGraph) sent(wamid string) (Request, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.requests {
		if r.MessageID == wamid {
			return r, true
		}
	}
	return Request{}, false
}

// Text is a recorded text message's body; "" for any other kind.
func Text(r Request) string {
	if t, ok := r.JSON["text"].(map[string]any); ok {
		s, _ := t["body"].(string)
		return s
	}
	return ""
}

// Shown is what a recorded message shows the person: its text (a text's
// body, an interactive message's body, a template's name) and the ids and
// titles of its buttons or list rows.
func Shown(r Request) (text string, options [][2]string) {
	if s := Text(r); s != "" {
		return s, nil
	}
	if t, ok := r.JSON["template"].(map[string]any); ok {
		name, _ := t["name"].(string)
		return name, nil
	}
	in, _ := r.JSON["interactive"].(map[string]any)
	body, _ := in["body"].(map[string]any)
	text, _ = body["text"].(string)
	act, _ := in["action"].(map[string]any)
	for _, b := range list(act, "buttons") {
		reply, _ := b.(map[string]any)["reply"].(map[string]any)
		options = append(options, [2]string{str(reply, "id"), str(reply, "title")})
	}
	for _, s := range list(act, "sections") {
		for _, row := range list(s.(map[string]any), "rows") {
			m, _ := row.(map[string]any)
			options = append(options, [2]string{str(m, "id"), str(m, "title")})
		}
	}
	return text, options
}
