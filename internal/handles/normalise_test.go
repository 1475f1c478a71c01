package handles_test

import (
	"errors"
	"testing"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/handles"
)

// accepted: what people paste → the normal form, per platform.
var accepted = map[string][][2]string{
	"whatsapp": {
		{"9876543210", "+919876543210"}, {"+91 98765 43210", "+919876543210"}, {"09876543210", "+919876543210"},
		{"https://wa.me/919876543210", "+919876543210"}, {"wa.me/+919876543210?text=hi", "+919876543210"},
		{"https://api.whatsapp.com/send?phone=919876543210", "+919876543210"}, {"+14155552671", "+14155552671"},
	},
	"facebook": {
		{"john.smith", "johnsmith"}, {"@John.Smith", "johnsmith"}, {"https://www.facebook.com/John.Smith/", "johnsmith"},
		{"m.facebook.com/johnsmith?ref=bookmarks", "johnsmith"}, {"fb.com/johnsmith#about", "johnsmith"},
		{"https://www.facebook.com/profile.php?id=100012345678901", "100012345678901"},
		{"facebook.com/people/John-Smith/100012345678901/", "100012345678901"}, {"web.facebook.com/johnsmith", "johnsmith"},
	},
	"instagram": {
		{"name", "name"}, {"@Name_1.x", "name_1.x"}, {"https://www.instagram.com/name/?hl=en", "name"},
		{"instagram.com/name", "name"}, {"http://instagram.com/Name/#", "name"}, {"  @name  ", "name"}, {"a", "a"},
		{"instagr.am/name", "name"}, {"abcdefghijklmnopqrstuvwxyz1234", "abcdefghijklmnopqrstuvwxyz1234"},
	},
	"x": {
		{"@Jodo_Org", "jodo_org"}, {"jodo", "jodo"}, {"https://twitter.com/jodo", "jodo"}, {"x.com/Jodo/", "jodo"},
		{"https://mobile.twitter.com/jodo?lang=hi", "jodo"}, {"www.x.com/jodo", "jodo"}, {"a23456789012345", "a23456789012345"},
	},
	"youtube": {
		{"@Jodo.Org", "@jodo.org"}, {"jodo-org", "@jodo-org"}, {"https://www.youtube.com/@Jodo", "@jodo"},
		{"youtube.com/@jodo/videos", "@jodo"}, {"m.youtube.com/@jodo?si=x", "@jodo"},
		{"https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "UCabcdefghijklmnopqrstuv"},
		{"UCabcdefghijklmnopqrstuv", "UCabcdefghijklmnopqrstuv"}, {"youtube.com/channel/UCabcdefghijklmnopqrstuv/videos", "UCabcdefghijklmnopqrstuv"}, {"@UCabcdefghijklmnopqrstuv", "@ucabcdefghijklmnopqrstuv"},
	},
	"telegram": {
		{"@JodoOrg", "jodoorg"}, {"jodo_org", "jodo_org"}, {"https://t.me/jodoorg", "jodoorg"}, {"t.me/JodoOrg/", "jodoorg"},
		{"telegram.me/jodoorg", "jodoorg"}, {"https://t.me/s/jodoorg", "jodoorg"}, {"a2345", "a2345"},
	},
	"sharechat": {
		{"@ram_kumar", "ram_kumar"}, {"Ram.Kumar", "ram.kumar"}, {"https://sharechat.com/profile/ramkumar?d=n", "ramkumar"},
		{"sharechat.com/profile/RamKumar/", "ramkumar"}, {"www.sharechat.com/profile/ram-kumar?referrer=copyLink", "ram-kumar"},
		{"r", "r"},
	},
	"moj": {
		{"@pujiverse", "pujiverse"}, {"pujiverse", "pujiverse"}, {"https://mojapp.in/@pujiverse", "pujiverse"},
		{"mojapp.in/@Pujiverse?referrer=V7hedHR", "pujiverse"}, {"www.mojapp.in/@puji.verse/", "puji.verse"}, {"x_1", "x_1"},
	},
	"josh": {
		{"@ablu_rajesh", "ablu_rajesh"}, {"AbluRajesh", "ablurajesh"},
		{"https://share.myjosh.in/profile/68334f62-a322-486a-b900-ee607eaf891a?u=0xc7df787b11b41122", "68334f62-a322-486a-b900-ee607eaf891a"},
		{"share.myjosh.in/profile/ablu", "ablu"}, {"myjosh.in/profile/ablu/", "ablu"}, {"a.b", "a.b"},
	},
	"koo": {
		{"@mayank", "mayank"}, {"Mayank", "mayank"}, {"https://www.kooapp.com/profile/mayank", "mayank"},
		{"kooapp.com/profile/KanganaROfficial/", "kanganarofficial"}, {"kooapp.com/profile/a_b?x=1", "a_b"}, {"k", "k"},
	},
	"linkedin": {
		{"ram-kumar-123", "ram-kumar-123"}, {"https://www.linkedin.com/in/Ram-Kumar/", "ram-kumar"},
		{"linkedin.com/in/ramkumar?originalSubdomain=in", "ramkumar"}, {"in.linkedin.com/in/ramkumar", "ramkumar"},
		{"https://www.linkedin.com/in/ramkumar/details/experience/", "ramkumar"}, {"abc", "abc"}, {"@ramkumar", "ramkumar"},
	},
}

// refused: what is not a profile of the platform → the reason.
var refused = map[string][][2]string{
	"whatsapp": {
		{"", handles.Empty}, {"98765", handles.BadNumber}, {"https://chat.whatsapp.com/AbCdEf123", handles.InviteLink},
		{"wa.me/message/ABCDEF", handles.NotAProfile}, {"https://example.com/919876543210", handles.OtherSite},
		{"+91 98111 ABCDE", handles.BadNumber}, {"98765\x0043210", handles.BadCharacters},
	},
	"facebook": {
		{"john", handles.TooShort}, {"john smith", handles.BadCharacters}, {"https://www.facebook.com/groups/123456", handles.NotAProfile},
		{"facebook.com/johnsmith/posts/123", handles.NotAProfile}, {"https://www.facebook.com/share/abc123/", handles.NotAProfile},
		{"instagram.com/johnsmith", handles.OtherSite}, {"facebook.com/profile.php", handles.NotAProfile}, {"facebook.com/profile.php?id=johnsmith", handles.NotAProfile}, {"john_smith", handles.BadCharacters},
	},
	"instagram": {
		{"", handles.Empty}, {"   ", handles.Empty}, {".name", handles.BadCharacters}, {"name.", handles.BadCharacters},
		{"na..me", handles.BadCharacters}, {"na me", handles.BadCharacters}, {"abcdefghijklmnopqrstuvwxyz12345", handles.TooLong},
		{"https://www.instagram.com/p/CxYz123/", handles.NotAProfile}, {"instagram.com/reel/CxYz123", handles.NotAProfile},
		{"https://facebook.com/name", handles.OtherSite}, {"name\u200b", handles.BadCharacters}, {"नाम", handles.BadCharacters},
		{"ftp://instagram.com/name", handles.OtherSite}, {"www.Instagram.com", handles.NotAProfile}, {"https://instagram.com:8080/name", handles.OtherSite}, {"@", handles.Empty},
	},
	"x": {
		{"a234567890123456", handles.TooLong}, {"jodo.org", handles.BadCharacters}, {"https://x.com/jodo/status/123", handles.NotAProfile},
		{"twitter.com/i/lists/1", handles.NotAProfile}, {"https://x.com/hashtag/jodo", handles.NotAProfile},
		{"https://threads.net/@jodo", handles.OtherSite}, {"jo-do", handles.BadCharacters},
	},
	"youtube": {
		{"ab", handles.TooShort}, {"https://www.youtube.com/watch?v=dQw4w9WgXcQ", handles.NotAProfile},
		{"https://youtu.be/dQw4w9WgXcQ", handles.OtherSite}, {"youtube.com/shorts/abc", handles.NotAProfile},
		{"youtube.com/c/jodo", handles.NotAProfile}, {"youtube.com/videos", handles.NotAProfile}, {"youtube.com/channel/UCabc", handles.NotAProfile}, {"youtube.com/jodo", handles.NotAProfile},
		{"@jodo org", handles.BadCharacters}, {"a234567890123456789012345678901", handles.TooLong},
	},
	"telegram": {
		{"jodo", handles.TooShort}, {"1jodo", handles.BadCharacters}, {"jodo_", handles.BadCharacters},
		{"https://t.me/+AbCdEf123", handles.InviteLink}, {"t.me/joinchat/AbCdEf", handles.InviteLink},
		{"https://t.me/jodoorg/123", handles.NotAProfile}, {"jodo.org", handles.BadCharacters},
		{"https://telegram.org/jodoorg", handles.OtherSite}, {"a23456789012345678901234567890123", handles.TooLong},
	},
	"sharechat": {
		{"", handles.Empty}, {"ram kumar", handles.BadCharacters}, {"https://sharechat.com/post/abc123", handles.NotAProfile},
		{"sharechat.com/ramkumar", handles.NotAProfile}, {"mojapp.in/@ramkumar", handles.OtherSite},
		{"a23456789012345678901234567890123456789012345678901", handles.TooLong}, {"ram@kumar", handles.BadCharacters},
	},
	"moj": {
		{"https://mojapp.in/@pujiverse/video/123", handles.NotAProfile}, {"mojapp.in/pujiverse", handles.NotAProfile},
		{"sharechat.com/profile/pujiverse", handles.OtherSite}, {"puji verse", handles.BadCharacters},
		{"@@puji", handles.BadCharacters}, {"\tpuji\x7f", handles.BadCharacters}, {"mojapp.in/@", handles.NotAProfile},
	},
	"josh": {
		{"share.myjosh.in/webview/abc", handles.NotAProfile}, {"share.myjosh.in/profile/ablu/video/1", handles.NotAProfile},
		{"joshtalks.com/profile/ablu", handles.OtherSite}, {"ablu!", handles.BadCharacters}, {"", handles.Empty},
		{"https://share.myjosh.in/", handles.NotAProfile},
	},
	"koo": {
		{"kooapp.com/koo/mayank/123", handles.NotAProfile}, {"kooapp.com/mayank", handles.NotAProfile},
		{"koo.com/profile/mayank", handles.OtherSite}, {"may ank", handles.BadCharacters}, {"", handles.Empty},
		{"मयंक", handles.BadCharacters},
	},
	"linkedin": {
		{"ab", handles.TooShort}, {"https://www.linkedin.com/company/jodo", handles.NotAProfile},
		{"linkedin.com/posts/ram_activity-123", handles.NotAProfile}, {"linkedin.com/pub/ram/1/2/3", handles.NotAProfile},
		{"ram_kumar", handles.BadCharacters}, {"https://lnkd.in/abc", handles.OtherSite}, {"ram kumar", handles.BadCharacters},
	},
}

func TestNormaliseAccepts(t *testing.T) {
	for _, p := range handles.Platforms {
		if len(accepted[p.Code]) < 6 {
			t.Errorf("%s: only %d accepted cases", p.Code, len(accepted[p.Code]))
		}
		for _, c := range accepted[p.Code] {
			got, err := handles.Normalise(p.Code, c[0])
			if got != c[1] || err != nil {
				t.Errorf("Normalise(%s, %q) = %q, %v; want %q", p.Code, c[0], got, err, c[1])
				continue
			}
			if again, err := handles.Normalise(p.Code, got); again != got || err != nil {
				t.Errorf("Normalise(%s, %q) = %q, %v: the normal form is not its own", p.Code, got, again, err)
			}
		}
	}
}

func TestNormaliseRefuses(t *testing.T) {
	for _, p := range handles.Platforms {
		if len(refused[p.Code]) < 6 {
			t.Errorf("%s: only %d refused cases", p.Code, len(refused[p.Code]))
		}
		for _, c := range refused[p.Code] {
			got, err := handles.Normalise(p.Code, c[0])
			e, ok := errors.AsType[*handles.Error](err)
			if !ok || got != "" || e.Reason != c[1] || e.Platform != p.Code {
				t.Errorf("Normalise(%s, %q) = %q, %v; want reason %s", p.Code, c[0], got, err, c[1])
			}
		}
	}
}

func TestErrorIsInvalidAndReadable(t *testing.T) {
	_, err := handles.Normalise("instagram", "https://www.instagram.com/p/CxYz123/")
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("code %q, want invalid (400)", apperr.CodeOf(err))
	}
	if want := "the Instagram handle is a link to a post or a page, not to a profile"; err.Error() != want || apperr.MessageOf(err) != want {
		t.Errorf("message %q / %q, want %q", err, apperr.MessageOf(err), want)
	}
	_, err = handles.Normalise("whatsapp", "98765 12")
	if err.Error() != "the WhatsApp handle is not a valid phone number" {
		t.Errorf("message %q keeps the number out?", err)
	}
	_, err = handles.Normalise("myspace", "name")
	if e, ok := errors.AsType[*handles.Error](err); !ok || e.Reason != handles.UnknownPlatform {
		t.Errorf("unknown platform: %v", err)
	}
}

func TestLookup(t *testing.T) {
	if p, ok := handles.Lookup("x"); !ok || p.Name != "X" {
		t.Errorf("Lookup(x) = %v, %v", p, ok)
	}
	if _, ok := handles.Lookup("twitter"); ok {
		t.Error("twitter is X's old name, not a code")
	}
}

// A mobile number is only ever a WhatsApp handle: given for another
// platform it would reach staff unmasked. Facebook's numeric ids, longer
// or not a mobile's shape, stay ids.
func TestPhoneNumberOnlyForWhatsApp(t *testing.T) {
	for _, c := range []struct{ platform, input string }{
		{"sharechat", "9876543210"}, {"moj", "919876543210"}, {"instagram", "9876543210"},
		{"facebook", "09876543210"}, {"koo", "919876543210"}, {"josh", "@9876543210"},
	} {
		_, err := handles.Normalise(c.platform, c.input)
		if e, ok := err.(*handles.Error); !ok || e.Reason != handles.PhoneNumber {
			t.Errorf("%s %q: %v, want %s", c.platform, c.input, err, handles.PhoneNumber)
		}
	}
	for _, c := range []struct{ platform, input, want string }{
		{"facebook", "facebook.com/profile.php?id=100004567890123", "100004567890123"},
		{"facebook", "1234567890", "1234567890"},
		{"whatsapp", "98765 43210", "+919876543210"},
	} {
		if got, err := handles.Normalise(c.platform, c.input); err != nil || got != c.want {
			t.Errorf("%s %q: %q, %v; want %q", c.platform, c.input, got, err, c.want)
		}
	}
}
