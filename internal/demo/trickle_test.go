package demo

import "testing"

// The trickle's WhatsApp script taps what a joining person would, and
// types where the bot asks for typing.
func TestTrickleAnswers(t *testing.T) {
	for _, c := range []struct {
		options []string
		want    []string // any of; none: typing
	}{
		{[]string{"lang:hi", "lang:en"}, []string{"lang:en"}},
		{[]string{"consent:yes", "consent:no"}, []string{"consent:yes"}},
		{[]string{"optin:yes", "optin:no"}, []string{"optin:yes", "optin:no"}},
		{[]string{"age:yes", "age:no"}, []string{"age:yes"}},
		{[]string{"d:JH-D-BOKARO", "d:JH-D-RANCHI", "more:1"}, []string{"d:JH-D-BOKARO", "d:JH-D-RANCHI"}},
		{[]string{"a:JH-AC-063", "a:JH-AC-064"}, []string{"a:JH-AC-063", "a:JH-AC-064"}},
		{[]string{"booth:skip"}, []string{"booth:skip"}},
		{nil, nil},
		{[]string{"more:2"}, nil},
	} {
		b := Bubble{}
		for _, id := range c.options {
			b.Options = append(b.Options, Option{ID: id, Title: id})
		}
		o, ok := answer(b, "lang:en")
		if ok != (len(c.want) > 0) {
			t.Errorf("%v: tapped %v (%v)", c.options, o, ok)
			continue
		}
		found := !ok
		for _, w := range c.want {
			found = found || o.ID == w
		}
		if !found {
			t.Errorf("%v: tapped %s, want one of %v", c.options, o.ID, c.want)
		}
	}
}
