package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/bot"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/intake"
	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
	"github.com/jodo-org/jodo/internal/whatsapp"
	"github.com/jodo-org/jodo/internal/worker"
)

const (
	benchToken  = "graph-token-for-bot-bench"
	benchSecret = "bot-bench-secret-key-32-bytes!!!"
	// benchPeople chat at once in each b.N of an unpaced run.
	benchPeople = 2000
	// benchArrivals come, one after another, in each b.N of a paced run.
	benchArrivals = 4000
)

// The loops' timing as jodo serve has it (internal/app/serve.go).
const (
	botPoll, botSettle       = 2 * time.Second, 20 * time.Millisecond
	outboxPoll, outboxSettle = 2 * time.Second, 200 * time.Millisecond
	sendConcurrency          = 32
)

// joinFlow is what each person sends, one message after each answer:
// the whole join, Hi to welcome (Jharkhand has no booths loaded, so the
// AC registers).
var joinFlow = []struct{ text, tap, title string }{
	{text: "Hi"},
	{tap: "lang:hi", title: "हिंदी"},
	{tap: "consent:yes", title: "मैं सहमत हूँ"},
	{tap: "optin:no", title: "नहीं, धन्यवाद"},
	{tap: "age:yes", title: "हाँ"},
	{text: "Sunita Devi"},
	{text: "ranchi"},
	{text: "hatia"},
}

// BenchmarkBotSteps is conversation steps per second through the whole
// WhatsApp path after the webhook's parse (messages are built and parsed
// before the timer): each inbound message a POST of its own, stored by
// store.RecordWhatsApp through a group commit as intake.WhatsAppRecorder
// does in jodo serve; the bot answering them; the outbox sender sending
// the replies through graph.Provider to the fake Graph API; both on worker
// loops timed as in jodo serve (webhook writers and answering loops as
// one jodo serve runs them). People each walk the join flow, sending
// their next message only when the fake got the answer to the last one.
// "unpaced": benchPeople × b.N people all start at once and write the
// moment they are answered (the ceiling, and a launch-day burst).
// "paced_1000": the load of the goal, sustained: newcomers keep arriving,
// so that with everyone's later messages a fifth more are offered; each
// person takes a moment (benchThink) to answer; at most 1,000 messages a
// second are let go (the others wait to be, untimed). Its steady-* metrics
// are those of the time when arrivals and walks overlap fully (from
// benchRamp after the first arrival to the last one); the others are of
// the whole run, ramps included. "paced_1100" is the same a tenth over
// the goal: the margin. The sender's rate
// limit is off, on one business number: Meta's 80/s per number is not
// what is measured. Run it with -benchtime 1x.
func BenchmarkBotSteps(b *testing.B) {
	for _, rate := range []int{0, 1000, 1100} {
		name, people := "unpaced", benchPeople*b.N
		if rate > 0 {
			name, people = fmt.Sprintf("paced_%d", rate), benchArrivals*b.N
		}
		b.Run(name, func(b *testing.B) {
			w := newBotBench(b, people)
			b.ResetTimer()
			w.run(b, rate, w.db.Writers()) // as jodo serve runs them: 1 on SQLite, 4 on PostgreSQL
			w.check(b)
			w.report(b)
		})
	}
}

// botBench is a database with a drive on the fake's business number, the
// bot and the sender, and the people who will chat.
type botBench struct {
	db     *store.DB
	fake   *fakemeta.FakeGraph
	drive  store.Drive
	people []*chatter
	byWAID map[string]*chatter

	mu      sync.Mutex
	replies int // at the fake, in all
	strays  int // replies to no message waiting for one
	ready   chan *chatter
	done    chan struct{}
	stored  []int // messages per inbound transaction
	think   time.Duration
	inbound *store.GroupCommit[store.WhatsAppMessage, struct{}]

	start, steadyFrom, steadyTo time.Time // of a paced run
}

// chatter is one person: their messages, and when each was let go and
// answered (the fake got the reply).
type chatter struct {
	waID     string
	msgs     []store.WhatsAppMessage
	sent     int
	answered int
	due, got []time.Time
}

func newBotBench(b *testing.B, people int) *botBench {
	b.Helper()
	w := &botBench{db: storetest.Open(b, nil), fake: fakemeta.NewFakeGraph(benchToken), byWAID: map[string]*chatter{},
		ready: make(chan *chatter, people), done: make(chan struct{})}
	b.Cleanup(w.fake.Close)
	today := time.Now()
	w.drive = drivetest.Load(b, w.db, nil, fmt.Sprintf(`{"version":1,"slug":"jh","name":"Jharkhand Jodo","starts_on":%q,
		"ends_on":%q,"timezone":"Asia/Kolkata","root_area":"JH","channels":[{"kind":"whatsapp","number":"+%s"}],"targets":[]}`,
		today.AddDate(0, -1, 0).Format(time.DateOnly), today.AddDate(0, 2, 0).Format(time.DateOnly), fakemeta.DisplayNumber))["jh"]
	day := today.In(time.FixedZone("IST", 5*3600+1800)).Format(time.DateOnly)
	for i := range people {
		c := &chatter{waID: fmt.Sprintf("91981%07d", i), due: make([]time.Time, len(joinFlow)), got: make([]time.Time, len(joinFlow))}
		for _, step := range joinFlow {
			c.msgs = append(c.msgs, inbound(b, c.waID, step.text, step.tap, step.title, w.drive.ID, day))
		}
		w.people = append(w.people, c)
		w.byWAID[c.waID] = c
	}
	w.fake.Connect("", "", w.answered)
	return w
}

// inbound is a message as the webhook stores it: the Cloud API's own
// JSON for it, read back by whatsapp.Parse.
func inbound(b testing.TB, waID, text, tap, title string, driveID int64, day string) store.WhatsAppMessage {
	b.Helper()
	id := fakemeta.NewWAMID(waID, true)
	body := fakemeta.TextBody("+"+fakemeta.DisplayNumber, fakemeta.PhoneNumberID, waID, id, text, time.Now())
	if tap != "" {
		body = fakemeta.TapBody("+"+fakemeta.DisplayNumber, fakemeta.PhoneNumberID, waID, id, tap, title, false, time.Now())
	}
	n, err := whatsapp.Parse(body)
	if err != nil || len(n.Messages) != 1 {
		b.Fatalf("webhook body: %v", err)
	}
	m := n.Messages[0]
	if back, err := whatsapp.ReadMessage(m.Raw); err != nil || back.From != waID {
		b.Fatalf("stored payload reads back as %+v: %v", back, err)
	}
	phone := "+" + waID
	return store.WhatsAppMessage{Inbox: store.InboxItem{Provider: "whatsapp", Key: m.Key(), Kind: store.KindWhatsAppMessage, Payload: m.Raw},
		WAID: m.From, Phone: phone, Hashed: store.SuppressionHash([]byte(benchSecret), phone), Drive: driveID, Day: day,
		Business: m.PhoneNumberID, BusinessNumber: m.DisplayPhoneNumber, At: m.Timestamp}
}

// answered is the fake telling of a reply it accepted: the person may
// send their next message.
func (w *botBench) answered(r fakemeta.Request) {
	w.mu.Lock()
	c := w.byWAID[strings.TrimPrefix(r.To, "+")]
	if c == nil || c.answered >= c.sent {
		w.strays++
		w.mu.Unlock()
		return
	}
	c.got[c.answered] = time.Now()
	c.answered++
	w.replies++
	more, all := c.answered < len(c.msgs), w.replies == len(w.people)*len(joinFlow)
	w.mu.Unlock()
	if more {
		w.readyAfterThinking(c)
	}
	if all {
		close(w.done)
	}
}

// benchThink is the most a person takes to read an answer and write the
// next message in a paced run (each wait uniform up to it).
const benchThink = time.Second

// benchRamp is how long after the first arrival a paced run is taken to
// be steady: by then the first people are through the join (8 steps of at
// most benchThink and the answer), so every step of the flow is being
// walked by someone.
const benchRamp = 10 * time.Second

// readyAfterThinking lets c send their next message after a moment of
// thought (none in an unpaced run: everyone writes at once, every step).
func (w *botBench) readyAfterThinking(c *chatter) {
	if w.think == 0 {
		w.ready <- c
		return
	}
	time.AfterFunc(rand.N(w.think), func() { w.ready <- c })
}

// run lets everyone chat until every message is answered and every reply
// recorded as sent; rate > 0 lets at most rate messages a second go.
func (w *botBench) run(b *testing.B, rate, answerers int) {
	log := slog.New(slog.DiscardHandler)
	sender, err := outbox.New(w.db, map[string]send.Provider{"whatsapp": graph.Provider{C: graph.New(graph.Config{
		BaseURL: w.fake.BaseURL, Token: benchToken,
		HTTP: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: sendConcurrency}}})}},
		outbox.Config{Owner: "bench", Concurrency: sendConcurrency})
	if err != nil {
		b.Fatal(err)
	}
	sendLoop := worker.NewLoop("outbox", outboxPoll, log, sender.Step).Settle(outboxSettle)
	loops := []*worker.Loop{sendLoop}
	a, err := bot.NewWorker(w.db, bot.New(w.db, bot.Config{SecretKey: []byte(benchSecret), BaseURL: "http://127.0.0.1:8080"}),
		bot.WorkerConfig{Owner: "bench", Replied: sendLoop.WakeNow, Log: log})
	if err != nil {
		b.Fatal(err)
	}
	for i := range answerers {
		l := worker.NewLoop("bot", botPoll, log, a.Another(i).Step).Settle(botSettle)
		if i > 0 {
			l.SharingWakes(loops[1])
		}
		loops = append(loops, l)
	}
	background := worker.Start(loops...)
	defer background.Stop()
	wake := loops[1].Wake // the answering loops share their wakes, as in jodo serve

	w.inbound = store.NewGroupCommit(w.db, store.GroupSpec[store.WhatsAppMessage, struct{}]{Name: "whatsapp",
		Validate: func(store.WhatsAppMessage) error { return nil }, Key: func(m store.WhatsAppMessage) string { return m.WAID },
		Write: w.store, Writers: intake.WhatsAppWriters(w.db), Committed: wake})
	defer w.inbound.Close()
	var posts sync.WaitGroup
	defer posts.Wait()
	w.think, w.start = 0, time.Now()
	if rate > 0 {
		w.think = benchThink
	}
	if rate == 0 {
		for _, c := range w.people {
			w.ready <- c
		}
	} else {
		// Newcomers offer a fifth more than rate, so that rate is what is
		// let go (the release does not make up for a moment nobody was
		// ready: offering exactly rate would fall behind it).
		every := time.Duration(len(joinFlow)) * time.Second * 5 / time.Duration(6*rate)
		for i, c := range w.people {
			time.AfterFunc(time.Duration(i)*every, func() { w.ready <- c })
		}
		w.steadyFrom, w.steadyTo = w.start.Add(benchRamp), w.start.Add(time.Duration(len(w.people)-1)*every)
	}
	stop, released := make(chan struct{}), make(chan struct{})
	go func() {
		w.release(b, rate, &posts, stop)
		close(released)
	}()
	select {
	case <-w.done:
	case <-time.After(10 * time.Minute):
		w.mu.Lock()
		b.Errorf("after 10 minutes %d of %d messages answered", w.replies, len(w.people)*len(joinFlow))
		w.mu.Unlock()
	}
	close(stop)
	<-released
	w.waitSent(b)
	b.StopTimer()
}

// release lets each ready person's next message go, at most rate a
// second (0: at once); after waiting for someone to be ready it does not
// make up for the lost time in a burst.
func (w *botBench) release(b *testing.B, rate int, posts *sync.WaitGroup, stop <-chan struct{}) {
	next := time.Now()
	for {
		if rate > 0 {
			time.Sleep(time.Until(next))
		}
		var c *chatter
		select {
		case c = <-w.ready:
		case <-stop:
			return
		}
		now := time.Now()
		if rate > 0 {
			if now.Sub(next) > 50*time.Millisecond {
				next = now
			}
			next = next.Add(time.Second / time.Duration(rate))
		}
		w.mu.Lock()
		m := c.msgs[c.sent]
		c.due[c.sent] = now
		c.sent++
		w.mu.Unlock()
		posts.Go(func() {
			if _, err := w.inbound.Submit(context.Background(), m); err != nil {
				b.Error(err)
			}
		})
	}
}

// store writes a group commit's POSTs, as the webhook's writer does.
func (w *botBench) store(ctx context.Context, tx *store.Tx, msgs []store.WhatsAppMessage) ([]struct{}, error) {
	if _, err := store.RecordWhatsApp(ctx, tx, msgs, nil); err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.stored = append(w.stored, len(msgs))
	w.mu.Unlock()
	return make([]struct{}, len(msgs)), nil
}

// waitSent waits until the outbox has recorded every send's answer.
func (w *botBench) waitSent(b *testing.B) {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if storetest.OutboxCount(b, w.db, storetest.Outbox{States: storetest.Pending}) == 0 {
			return
		}
	}
	b.Error("replies still queued or sending a minute after the fake got the last one")
}

// step is one inbound message and the reply to it, from the database:
// times in Unix milliseconds.
type step struct {
	person                         int64
	received, processed, replySent int64
	note                           string
}

// steps pairs each person's messages with the replies queued for them, in
// order (the join flow answers each message with one reply); check wants
// the counts to match.
func (w *botBench) steps(b *testing.B) (steps []step, replies map[int64][]string) {
	b.Helper()
	replies = map[int64][]string{}
	sent := map[int64][]int64{}
	for _, s := range storetest.InboxSteps(b, w.db, store.KindWhatsAppMessage) {
		steps = append(steps, step{person: s.PersonID, received: s.Received, processed: s.Processed, note: s.Note})
	}
	for _, r := range storetest.WhatsAppReplies(b, w.db) {
		replies[r.PersonID] = append(replies[r.PersonID], r.State+" "+r.ID)
		sent[r.PersonID] = append(sent[r.PersonID], r.SentAt)
	}
	k := map[int64]int{}
	for i := range steps {
		p := steps[i].person
		if k[p] < len(sent[p]) {
			steps[i].replySent = sent[p][k[p]]
		}
		k[p]++
	}
	return steps, replies
}

// check fails the benchmark unless every message was answered once, with
// one reply, sent once, and everyone ended a member.
func (w *botBench) check(b *testing.B) {
	b.Helper()
	want := len(w.people) * len(joinFlow)
	steps, replies := w.steps(b)
	if len(steps) != want {
		b.Fatalf("%d messages stored, want %d", len(steps), want)
	}
	for _, s := range steps {
		if s.processed == 0 || s.note != "" || s.person == 0 {
			b.Fatalf("a message of person %d: processed at %d, note %q", s.person, s.processed, s.note)
		}
	}
	if len(replies) != len(w.people) {
		b.Fatalf("replies went to %d people, want %d", len(replies), len(w.people))
	}
	queued := map[string]int{}
	for person, rs := range replies {
		if len(rs) != len(joinFlow) {
			b.Fatalf("person %d has %d replies in the outbox, want %d: %v", person, len(rs), len(joinFlow), rs)
		}
		for _, r := range rs {
			state, id, _ := strings.Cut(r, " ")
			if state != "sent" || id == "" {
				b.Fatalf("person %d: a reply is %s", person, r)
			}
			queued[id]++
		}
	}
	bodies := map[string]map[string]bool{}
	for _, r := range w.fake.Requests() {
		if r.HTTPStatus != http.StatusOK || queued[r.MessageID] != 1 {
			b.Fatalf("the fake answered %d to %s with %q, which the outbox holds %d times", r.HTTPStatus, r.To, r.MessageID, queued[r.MessageID])
		}
		queued[r.MessageID]++
		if bodies[r.To] == nil {
			bodies[r.To] = map[string]bool{}
		}
		bodies[r.To][string(r.Body)] = true
	}
	for to, bs := range bodies {
		if len(bs) != len(joinFlow) {
			b.Fatalf("%s got %d different messages, want %d", to, len(bs), len(joinFlow))
		}
	}
	for id, n := range queued {
		if n != 2 {
			b.Fatalf("reply %s: in the outbox once and at the fake %d times", id, n-1)
		}
	}
	if w.strays != 0 {
		b.Fatalf("the fake got %d replies to no message waiting for one", w.strays)
	}
	if members := storetest.ParticipationCount(b, w.db, storetest.Participations{DriveID: w.drive.ID, Registered: true}); members != len(w.people) {
		b.Fatalf("%d of %d people ended members", members, len(w.people))
	}
}

// report gives steps/s and step latencies: as the person sees it (their
// message let go → the fake got the reply), receipt (stored) → answered
// (replies queued), and receipt → reply sent.
func (w *botBench) report(b *testing.B) {
	steps, replies := w.steps(b)
	queued := 0
	for _, rs := range replies {
		queued += len(rs)
	}
	var seen, answer, sent, steady []time.Duration
	answeredSteady := 0
	for _, c := range w.people {
		for i := range c.due {
			seen = append(seen, c.got[i].Sub(c.due[i]))
			if !w.steadyFrom.IsZero() && !c.due[i].Before(w.steadyFrom) && c.due[i].Before(w.steadyTo) {
				steady = append(steady, c.got[i].Sub(c.due[i]))
			}
			if !w.steadyFrom.IsZero() && !c.got[i].Before(w.steadyFrom) && c.got[i].Before(w.steadyTo) {
				answeredSteady++
			}
		}
	}
	if len(steady) > 0 {
		b.ReportMetric(float64(answeredSteady)/w.steadyTo.Sub(w.steadyFrom).Seconds(), "steady-steps/s")
		b.ReportMetric(float64(quantile(steady, .50).Milliseconds()), "steady-p50-ms")
		b.ReportMetric(float64(quantile(steady, .99).Milliseconds()), "steady-p99-ms")
	}
	for _, s := range steps {
		answer = append(answer, time.Duration(s.processed-s.received)*time.Millisecond)
		sent = append(sent, time.Duration(s.replySent-s.received)*time.Millisecond)
	}
	total := 0
	for _, n := range w.stored {
		total += n
	}
	b.ReportMetric(float64(len(steps))/b.Elapsed().Seconds(), "steps/s")
	b.ReportMetric(float64(total)/float64(len(w.stored)), "msgs/inbound-tx")
	b.ReportMetric(float64(queued)/float64(len(steps)), "replies/step")
	for _, q := range []struct {
		name string
		d    []time.Duration
		p    float64
	}{{"seen-p50-ms", seen, .50}, {"seen-p99-ms", seen, .99}, {"answered-p99-ms", answer, .99},
		{"sent-p50-ms", sent, .50}, {"sent-p99-ms", sent, .99}} {
		b.ReportMetric(float64(quantile(q.d, q.p).Milliseconds()), q.name)
	}
}

func quantile(ds []time.Duration, q float64) time.Duration {
	slices.Sort(ds)
	if len(ds) == 0 {
		return 0
	}
	return ds[min(len(ds)-1, int(q*float64(len(ds))))]
}
