package app_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Three server processes on one PostgreSQL share, at once, a storm of
// missed calls and a bot load, as the nodes of a national drive do:
//
//   - the storm: 2,000 new numbers call through Exotel: 3,400 deliveries
//     of 2,800 CallSids, sent round-robin to the nodes 48 at a time. Two in
//     ten numbers call again under a new CallSid at once (the two calls
//     race on two nodes), two in ten call again later; two in ten calls
//     are delivered twice at once to two nodes, one in ten again later to
//     another node. Every delivery is answered 200; the inbox holds each
//     CallSid once; each number is one person with one participation and
//     one lead, counted once in every counter table and by the dashboard's
//     readers; each number got one follow-up SMS, none twice; the nodes'
//     metrics add up to exactly the leads, repeat calls and duplicates sent.
//   - the bot: 30 people, starting one by one through the storm, write 6
//     messages each, in order, each message to the next node, without
//     waiting for answers (TestTwoProcessesAnswerInOrder with three
//     nodes): each is answered exactly once, and each person's answers
//     come in the order they wrote.
//   - every node recorded calls and answered messages.
//
// On 2 cores (PostgreSQL, three nodes and the test on them), shared with
// other benchmarks (load average ~19), the storm took 14.5–18.4 s and the
// whole test 23–26 s; with -race 32 s and 44 s.
func TestThreeNodesShareAStorm(t *testing.T) {
	t.Parallel()
	const callers, people, each = 2000, 30, 6
	dbURL := storetest.NewSchema(t, storetest.RequirePostgres(t))
	smsDrive(t, dbURL, "en")
	db := storetest.Attach(t, dbURL)
	fake := fakemeta.NewFakeGraph("graph-token")
	t.Cleanup(fake.Close)
	fake.Delay(20 * time.Millisecond) // sends overlap the other nodes' work
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	keys := []string{"key-a", "key-b", "key-c"} // one Exotel API key per node: the gateway tells who sent
	var procs []*jodoProcess
	for _, key := range keys {
		env := exotelServeEnv(gw, dbURL, key) // the same secrets on every node
		env["JODO_WHATSAPP_TOKEN"], env["JODO_WHATSAPP_API_BASE"] = "graph-token", fake.BaseURL
		env["JODO_SMS_RATE"] = "0"
		procs = append(procs, startJodoProcess(t, env, "serve"))
	}
	var bases []string
	for _, p := range procs {
		bases = append(bases, p.waitListening(t))
	}

	storm := newCallStorm(callers, len(bases))
	start := time.Now()
	var wamids []string
	var stormTook, chatsTook time.Duration
	var wg sync.WaitGroup
	wg.Go(func() { storm.send(t, bases); stormTook = time.Since(start) })
	wg.Go(func() {
		// The i-th person starts writing once the i-th part of the storm is
		// answered: the chats span it, however fast the nodes are.
		wamids = chatInTurns(t, bases, people, each, func(i int) { storm.waitAnswered(i * len(storm.deliveries) / people) })
		chatsTook = time.Since(start)
	})
	wg.Wait()
	smsWait(t, "every message answered and every reply and follow-up sent", func() bool {
		return storetest.InboxCount(t, db, storetest.Inbox{Provider: "whatsapp", Unprocessed: true}) == 0 &&
			storetest.OutboxCount(t, db, storetest.Outbox{States: storetest.Pending}) == 0
	})
	t.Logf("%d deliveries answered in %v, %d messages posted in %v, all answered and sent after %v",
		len(storm.deliveries), stormTook.Round(time.Millisecond), len(wamids), chatsTook.Round(time.Millisecond),
		time.Since(start).Round(time.Millisecond))
	var metrics []string
	for _, base := range bases {
		metrics = append(metrics, getMetrics(t, base))
	}
	for _, p := range procs {
		p.stop(t)
	}

	storm.checkStored(t, db, wamids)
	storm.checkCounted(t, db, people)
	storm.checkFollowups(t, db, gw, keys)
	storm.checkNodes(t, metrics, people, each)
	checkAnsweredInOrder(t, fake, people, each)
}

// TestThreeNodesShareAStormWithoutFollowups is TestThreeNodesShareAStorm's
// storm on a drive that sends no follow-ups, whose batches of calls are
// one round trip each (store.RecordCallsLast), across three processes: a
// number calling twice at once, to two nodes, can make one batch's
// statement fail and run again (jodo_retry; the log says how many did,
// and TestRecordCallsLastRacedPhoneRunsAgain makes it happen). Every call is stored once, each caller is
// one person with one lead, counted once in every table and by the
// dashboard's readers, each node recorded the calls it was sent, and no
// SMS goes out.
func TestThreeNodesShareAStormWithoutFollowups(t *testing.T) {
	t.Parallel()
	const callers = 2000
	dbURL := storetest.NewSchema(t, storetest.RequirePostgres(t))
	testDrive(t, dbURL, "en", `{"kind":"missed_call","number":"1800 000 0000"}`) // no WhatsApp number: no follow-ups
	db := storetest.Attach(t, dbURL)
	gw := smstest.NewFakeGateway()
	t.Cleanup(gw.Close)
	var procs []*jodoProcess
	var bases []string
	for _, key := range []string{"key-a", "key-b", "key-c"} {
		env := exotelServeEnv(gw, dbURL, key)
		env["JODO_SMS_RATE"] = "0"
		procs = append(procs, startJodoProcess(t, env, "serve"))
	}
	for _, p := range procs {
		bases = append(bases, p.waitListening(t))
	}
	storm := newCallStorm(callers, len(bases))
	start := time.Now()
	storm.send(t, bases)
	var retries float64
	for i, base := range bases {
		m := getMetrics(t, base)
		if got := metricSum(m, "jodo_missed_calls_total", `provider="exotel"`); got != float64(storm.perNode[i]) {
			t.Errorf("node %d recorded %v calls, was sent %d", i, got, storm.perNode[i])
		}
		retries += metricSum(m, "jodo_tx_retries_total")
	}
	t.Logf("%d deliveries answered in %v; %v transactions ran again", len(storm.deliveries), time.Since(start).Round(time.Millisecond), retries)
	for _, p := range procs {
		p.stop(t)
	}
	storm.checkStored(t, db, nil)
	storm.checkCounted(t, db, 0)
	if n := len(gw.Received()); n != 0 {
		t.Errorf("%d SMS sent for a drive without follow-ups", n)
	}
}

// callStorm is a missed-call storm: deliveries of Exotel calls, each with
// the node it goes to.
type callStorm struct {
	deliveries []stormCall
	numbers    []string // the callers, E.164, each new
	sids       []string // the distinct CallSids
	repeats    int      // calls from a number that called before
	duplicates int      // deliveries of a CallSid delivered before
	perNode    []int    // deliveries to each node

	mu       sync.Mutex
	answered int // deliveries answered so far
	progress *sync.Cond
}

type stormCall struct {
	sid, from string
	node      int
}

// newCallStorm makes the storm of callers new numbers over nodes: calls
// sent together (a number calling twice at once, a call delivered twice at
// once) are adjacent, so round-robin sends them to two nodes at once; a
// call delivered again later goes to another node than the first time.
func newCallStorm(callers, nodes int) *callStorm {
	s := &callStorm{}
	s.progress = sync.NewCond(&s.mu)
	var units [][]stormCall
	for i := range callers {
		from := fmt.Sprintf("+9197%08d", i)
		first := stormCall{sid: fmt.Sprintf("nodes-%06d-a", i), from: from}
		again := stormCall{sid: fmt.Sprintf("nodes-%06d-b", i), from: from}
		s.numbers = append(s.numbers, from)
		s.sids = append(s.sids, first.sid)
		switch i % 10 {
		case 1, 2: // calls again later
			units = append(units, []stormCall{first}, []stormCall{again})
		case 3, 4: // calls twice at once
			units = append(units, []stormCall{first, again})
		case 5, 6: // the call delivered twice at once
			units = append(units, []stormCall{first, first})
		case 7: // the call delivered again later
			units = append(units, []stormCall{first}, []stormCall{first})
		default:
			units = append(units, []stormCall{first})
		}
		switch i % 10 {
		case 1, 2, 3, 4:
			s.sids = append(s.sids, again.sid)
			s.repeats++
		case 5, 6, 7:
			s.duplicates++
		}
	}
	rand.New(rand.NewPCG(24, 3)).Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	firstNode := map[string]int{}
	s.perNode = make([]int, nodes)
	for _, u := range units {
		for _, c := range u {
			c.node = len(s.deliveries) % nodes
			if n, ok := firstNode[c.sid]; ok && n == c.node {
				c.node = (c.node + 1) % nodes
			}
			firstNode[c.sid] = c.node
			s.perNode[c.node]++
			s.deliveries = append(s.deliveries, c)
		}
	}
	return s
}

// send delivers the storm, 48 requests at a time, and wants each answered
// 200 (a delivery that is not still counts as answered for waitAnswered).
func (s *callStorm) send(t *testing.T, bases []string) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 48}}
	defer client.CloseIdleConnections()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 48 {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(s.deliveries)); i = next.Add(1) - 1 {
				c := s.deliveries[i]
				if err := exotelCall(client, bases[c.node], c); err != nil {
					t.Errorf("call %s to node %d: %v", c.sid, c.node, err)
				}
				s.mu.Lock()
				s.answered++
				s.progress.Broadcast()
				s.mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// waitAnswered waits until n deliveries have been answered.
func (s *callStorm) waitAnswered(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.answered < n {
		s.progress.Wait()
	}
}

// exotelCall delivers a call as Exotel's Passthru applet does.
func exotelCall(client *http.Client, base string, c stormCall) error {
	now := time.Now().In(time.FixedZone("IST", 19800)).Format(time.DateTime)
	q := url.Values{"CallSid": {c.sid}, "CallFrom": {"0" + strings.TrimPrefix(c.from, "+91")}, "CallTo": {"18000000000"},
		"Direction": {"incoming"}, "Created": {now}, "StartTime": {now}, "CallType": {"call-attempt"}}
	resp, err := client.Get(base + "/hooks/exotel/" + processHookSecret + "?" + q.Encode())
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d %.80q", resp.StatusCode, body)
	}
	return nil
}

// chatInTurns has people write each messages, alternating "help" and "my
// data", in order, each to the next node, without waiting for answers; it
// returns the messages' ids. The i-th person starts after before(i).
func chatInTurns(t *testing.T, bases []string, people, each int, before func(i int)) []string {
	words := []string{"help", "my data"}
	var mu sync.Mutex
	var wamids []string
	var wg sync.WaitGroup
	for i := range people {
		waID := fmt.Sprintf("9198124%05d", i)
		wg.Go(func() {
			before(i)
			for k := range each {
				id := fakemeta.NewWAMID(waID, true)
				mu.Lock()
				wamids = append(wamids, id)
				mu.Unlock()
				body := fakemeta.TextBody("+91 70000 00000", fakemeta.PhoneNumberID, waID, id, words[k%2], time.Now())
				if err := fakemeta.PostWebhook(context.Background(), bases[k%len(bases)]+"/hooks/whatsapp", waAppSecret, body); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	return wamids
}

// checkStored: the inbox holds each CallSid and each message once, and
// nothing else.
func (s *callStorm) checkStored(t *testing.T, db *store.DB, wamids []string) {
	t.Helper()
	stored := map[string]int{}
	keys := storetest.InboxKeys(t, db)
	for _, k := range keys {
		stored[k]++
	}
	var wrong []string
	for _, k := range append(append([]string{}, s.sids...), wamids...) {
		if stored[k] != 1 {
			wrong = append(wrong, fmt.Sprintf("%s %d times", k, stored[k]))
		}
	}
	if len(wrong) > 0 {
		t.Errorf("%d calls or messages are not in the inbox once: %s …", len(wrong), strings.Join(wrong[:min(len(wrong), 5)], ", "))
	}
	if want := len(s.sids) + len(wamids); len(keys) != want {
		t.Errorf("the inbox holds %d items, want %d calls and %d messages", len(keys), len(s.sids), len(wamids))
	}
}

// checkCounted: each caller is one person with one participation and one
// lead, and each counter table and the dashboard's readers count each lead
// once (and each person who wrote on WhatsApp once there).
func (s *callStorm) checkCounted(t *testing.T, db *store.DB, people int) {
	t.Helper()
	callers := len(s.numbers)
	phones := storetest.Contacts{Kind: "phone", Values: s.numbers}
	if n := storetest.ContactCount(t, db, phones); n != callers {
		t.Errorf("%d contact points for %d callers", n, callers)
	}
	if n := storetest.PeopleAt(t, db, phones); n != callers {
		t.Errorf("%d people for %d callers", n, callers)
	}
	if n := storetest.PeopleCount(t, db); n != callers+people {
		t.Errorf("%d people, want %d callers and %d who wrote", n, callers, people)
	}
	drive, err := db.DriveBySlug(context.Background(), "jh-sms")
	if err != nil {
		t.Fatal(err)
	}
	byDay, whole, err := db.CounterTotalsToDate(context.Background(), drive.ID, []int64{drive.RootAreaID},
		store.DayRange{From: "0000-00-00", To: "9999-99-99"})
	if err != nil {
		t.Fatal(err)
	}
	for channel, want := range map[string]int{"missed_call": callers, "whatsapp": people} {
		parts := storetest.ParticipationCount(t, db, storetest.Participations{Channel: channel})
		leads := storetest.ParticipationCount(t, db, storetest.Participations{Channel: channel, Lead: true})
		tally := storetest.TallyOf(t, db, drive.ID, "leads", channel)
		read := [2]int64{sumOf(byDay, "leads", channel), sumOf(whole, "leads", channel)}
		w := int64(want)
		if parts != want || leads != want || tally != (storetest.Tally{Own: w, Totals: w, DriveTotals: w}) || read != [2]int64{w, w} {
			t.Errorf("%s: %d participations, %d with a lead, counters %+v, read by day and for the drive %v; want %d everywhere",
				channel, parts, leads, tally, read, want)
		}
	}
	if got := storetest.CountsByChannel(t, db, "missed_call"); len(got) != 1 {
		t.Errorf("missed calls counted %v, want leads only", got)
	}
}

// sumOf sums one metric on one channel of sums.
func sumOf(sums []store.CounterSum, metric, channel string) int64 {
	var n int64
	for _, s := range sums {
		if s.Metric == metric && s.Channel == channel {
			n += s.Value
		}
	}
	return n
}

// checkFollowups: each caller got one follow-up SMS, none twice, and the
// gateway accepted every one.
func (s *callStorm) checkFollowups(t *testing.T, db *store.DB, gw *smstest.FakeGateway, keys []string) {
	t.Helper()
	received := gw.Received()
	to := map[string]int{}
	byNode := map[string]int{}
	for _, r := range received {
		to[r.To]++
		byNode[r.User]++
		if r.HTTPStatus != http.StatusOK {
			t.Errorf("the gateway answered a follow-up to %s %d", r.To, r.HTTPStatus)
		}
	}
	var wrong []string
	for _, n := range s.numbers {
		if to[n] != 1 {
			wrong = append(wrong, fmt.Sprintf("%s %d", n, to[n]))
		}
	}
	if len(wrong) > 0 {
		t.Errorf("%d callers did not get one follow-up: %s …", len(wrong), strings.Join(wrong[:min(len(wrong), 5)], ", "))
	}
	if len(received) != len(s.numbers) {
		t.Errorf("the gateway received %d SMS for %d callers", len(received), len(s.numbers))
	}
	if n := storetest.OutboxCount(t, db, storetest.Outbox{Channel: "sms"}); n != len(s.numbers) {
		t.Errorf("%d SMS in the outbox for %d callers", n, len(s.numbers))
	}
	var sent []string
	for _, k := range keys {
		sent = append(sent, fmt.Sprintf("%s %d", k, byNode[k]))
	}
	t.Logf("follow-ups sent by node: %s", strings.Join(sent, ", "))
}

// checkNodes: each node recorded every delivery it answered and answered
// some messages; together they counted each new number one lead, each
// repeat call and each duplicate delivery once, queued one follow-up per
// caller, stored each message once and answered each once.
func (s *callStorm) checkNodes(t *testing.T, metrics []string, people, each int) {
	t.Helper()
	sums := map[string]float64{}
	var answered []float64
	for i, m := range metrics {
		got := metricSum(m, "jodo_missed_calls_total", `provider="exotel"`)
		if got != float64(s.perNode[i]) {
			t.Errorf("node %d recorded %v calls, was sent %d", i, got, s.perNode[i])
		}
		answered = append(answered, metricSum(m, "jodo_bot_steps_total", `outcome="answered"`))
		if answered[i] == 0 {
			t.Errorf("node %d answered no message", i)
		}
		sums["answered"] += answered[i]
		for _, outcome := range []string{"lead", "known", "duplicate", "kept"} {
			sums["calls "+outcome] += metricSum(m, "jodo_missed_calls_total", `provider="exotel"`, `outcome="`+outcome+`"`)
		}
		sums["follow-ups"] += metricSum(m, "jodo_followups_total", `outcome="queued"`)
		for _, outcome := range []string{"lead", "known", "duplicate"} {
			sums["messages "+outcome] += metricSum(m, "jodo_whatsapp_messages_total", `outcome="`+outcome+`"`)
		}
	}
	messages := people * each
	want := map[string]float64{"answered": float64(messages), "calls lead": float64(len(s.numbers)), "calls known": float64(s.repeats),
		"calls duplicate": float64(s.duplicates), "calls kept": 0, "follow-ups": float64(len(s.numbers)),
		"messages lead": float64(people), "messages known": float64(messages - people), "messages duplicate": 0}
	for k, v := range want {
		if sums[k] != v {
			t.Errorf("%s: the nodes counted %v, want %v", k, sums[k], v)
		}
	}
	t.Logf("deliveries by node %v, messages answered by node %v", s.perNode, answered)
}

// metricSum sums the series of metric name in a /metrics body whose labels
// include each of labels (`outcome="lead"`).
func metricSum(body, name string, labels ...string) float64 {
	sum := 0.0
	for line := range strings.SplitSeq(body, "\n") {
		rest, ok := strings.CutPrefix(line, name+"{")
		if !ok {
			continue
		}
		end := strings.LastIndex(rest, "} ")
		if end < 0 {
			continue
		}
		matched := true
		for _, l := range labels {
			matched = matched && strings.Contains(rest[:end], l)
		}
		if v, err := strconv.ParseFloat(rest[end+2:], 64); err == nil && matched {
			sum += v
		}
	}
	return sum
}
