package demo

import (
	"net/http"
	"strings"
)

// call gives the drive a missed call from the page's number, as the
// missed-call provider would, and shows the SMS screen.
func (p *Phone) call(w http.ResponseWriter, r *http.Request) {
	v, ok := p.posted(w, r)
	if !ok {
		return
	}
	if err := p.live.Call(r.Context(), v.Number); err != nil {
		p.failed(w, r, v, err)
		return
	}
	v.App = "sms"
	http.Redirect(w, r, "/demo/phone?"+v.Q("sms")+"&done=call", http.StatusSeeOther)
}

// say sends what the person typed to the drive's WhatsApp number.
func (p *Phone) say(w http.ResponseWriter, r *http.Request) {
	v, ok := p.posted(w, r)
	if !ok {
		return
	}
	text := strings.TrimSpace(r.PostFormValue("text"))
	if text == "" || len(text) > 1000 {
		v.App, v.Error = "wa", "error.text"
		p.render(w, r, http.StatusUnprocessableEntity, "layout", p.filled(v))
		return
	}
	if err := p.live.Chat.Say(r.Context(), v.Number, text); err != nil {
		p.failed(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/demo/phone?"+v.Q("wa"), http.StatusSeeOther)
}

// tap sends a tap on one of the bot's buttons or list rows.
func (p *Phone) tap(w http.ResponseWriter, r *http.Request) {
	v, ok := p.posted(w, r)
	if !ok {
		return
	}
	o := Option{ID: r.PostFormValue("id"), Title: r.PostFormValue("title")}
	if o.ID == "" || o.Title == "" || len(o.ID)+len(o.Title) > 400 {
		v.App, v.Error = "wa", "error.tap"
		p.render(w, r, http.StatusUnprocessableEntity, "layout", p.filled(v))
		return
	}
	if err := p.live.Chat.Tap(r.Context(), v.Number, o, r.PostFormValue("list") == "1"); err != nil {
		p.failed(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/demo/phone?"+v.Q("wa"), http.StatusSeeOther)
}

// posted is a form's view; without a live number the page is shown
// again, saying so (422).
func (p *Phone) posted(w http.ResponseWriter, r *http.Request) (view, bool) {
	v := p.newView(w, r)
	if v.Number == "" {
		if v.Error == "" {
			v.Error = "error.number"
		}
		p.render(w, r, http.StatusUnprocessableEntity, "layout", v)
		return v, false
	}
	return v, true
}

// failed shows the page again when Jodo's webhook did not take what the
// page posted.
func (p *Phone) failed(w http.ResponseWriter, r *http.Request, v view, err error) {
	p.log.WarnContext(r.Context(), "the demo phone's post failed", "err", err)
	v.Error = "error.post"
	p.render(w, r, http.StatusBadGateway, "layout", p.filled(v))
}

// filled is v with the number's messages.
func (p *Phone) filled(v view) view {
	v.Texts, v.Chat = p.live.SMS.Texts(v.Number), p.live.Chat.Transcript(v.Number)
	return v
}
