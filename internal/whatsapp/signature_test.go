package whatsapp

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Each vector is a signed request and the exact body file it was made from.
var signatureVectors = []struct{ request, body string }{
	{"whatsapp_signature.txt", "whatsapp_text.compact.json"}, // PROVIDERS.md §1.2
	{"whatsapp_list_reply_signature.txt", "whatsapp_list_reply.compact.json"},
}

func TestVerifySignatureVectors(t *testing.T) {
	for _, v := range signatureVectors {
		t.Run(v.request, func(t *testing.T) {
			req := readRequest(t, v.request)
			body := readSample(t, v.body)
			header := req.header["X-Hub-Signature-256"]
			if !bytes.Equal(req.body, body) {
				t.Fatalf("the request's body is not %s byte for byte", v.body)
			}
			if err := VerifySignature([]byte(req.appSecret), body, header); err != nil {
				t.Fatalf("VerifySignature: %v", err)
			}
			if got := Signature([]byte(req.appSecret), body); got != header {
				t.Errorf("Signature = %s; want %s", got, header)
			}
		})
	}
}

// Meta signs its own bytes, non-ASCII text as lowercase \uXXXX escapes: the
// same JSON written any other way is a different body.
func TestVerifySignatureEscapedForm(t *testing.T) {
	req := readRequest(t, "whatsapp_list_reply_signature.txt")
	secret, header := []byte(req.appSecret), req.header["X-Hub-Signature-256"]
	signed := readSample(t, "whatsapp_list_reply.compact.json")
	const escaped = `\u0939\u093f\u0928\u094d\u0926\u0940`
	if !bytes.Contains(signed, []byte(escaped)) {
		t.Fatalf("the signed body does not hold the escaped title")
	}
	for _, b := range signed {
		if b >= 0x80 {
			t.Fatalf("the signed body has a non-ASCII byte %#x", b)
		}
	}
	rewritten := map[string][]byte{
		"UTF-8 text":         bytes.Replace(signed, []byte(escaped), []byte("हिन्दी"), 1),
		"uppercase escapes":  bytes.Replace(signed, []byte(`\u093f`), []byte(`\u093F`), 1),
		"indented":           readSample(t, "whatsapp_list_reply.json"),
		"trailing newline":   append(bytes.Clone(signed), '\n'),
		"a slash escaped":    bytes.Replace(signed, []byte(`(Hindi)`), []byte(`(Hindi\/)`), 1),
		"one digit changed":  bytes.Replace(signed, []byte(`"1763095710"`), []byte(`"1763095711"`), 1),
		"a row id replaced":  bytes.Replace(signed, []byte(`"lang_hi"`), []byte(`"lang_en"`), 1),
		"the sender changed": bytes.Replace(signed, []byte(`"from":"919876543210"`), []byte(`"from":"919876543211"`), 1),
	}
	want := mustParse(t, signed).Messages[0].Reply
	if want.Title != "हिन्दी (Hindi)" {
		t.Fatalf("title %q; want the Hindi decoded", want.Title)
	}
	for name, body := range rewritten {
		if bytes.Equal(body, signed) {
			t.Fatalf("%s: the rewrite changed nothing", name)
		}
		if err := VerifySignature(secret, body, header); !errors.Is(err, ErrSignatureMismatch) {
			t.Errorf("%s: VerifySignature = %v; want ErrSignatureMismatch", name, err)
		}
	}
	if got := mustParse(t, rewritten["UTF-8 text"]).Messages[0].Reply; got != want {
		t.Errorf("the UTF-8 form reads as %+v; want %+v as from the escaped form", got, want)
	}
}

func TestVerifySignatureTampered(t *testing.T) {
	req := readRequest(t, "whatsapp_signature.txt")
	secret, header := []byte(req.appSecret), req.header["X-Hub-Signature-256"]
	body := readSample(t, "whatsapp_text.compact.json")
	tampered := bytes.Replace(body, []byte("missed call"), []byte("missed calls"), 1)
	if err := VerifySignature(secret, tampered, header); !errors.Is(err, ErrSignatureMismatch) {
		t.Errorf("tampered body: %v; want ErrSignatureMismatch", err)
	}
	if err := VerifySignature(secret, readSample(t, "whatsapp_text.json"), header); !errors.Is(err, ErrSignatureMismatch) {
		t.Errorf("the same JSON indented: %v; want ErrSignatureMismatch", err)
	}
	if err := VerifySignature([]byte("another_secret"), body, header); !errors.Is(err, ErrSignatureMismatch) {
		t.Errorf("another app secret: %v; want ErrSignatureMismatch", err)
	}
}

func TestVerifySignatureHeader(t *testing.T) {
	req := readRequest(t, "whatsapp_signature.txt")
	secret, header := []byte(req.appSecret), req.header["X-Hub-Signature-256"]
	body := readSample(t, "whatsapp_text.compact.json")
	digest := strings.TrimPrefix(header, "sha256=")
	for _, c := range []struct {
		name   string
		secret []byte
		header string
		want   error
	}{
		{"as sent", secret, header, nil},
		{"uppercase hex", secret, "sha256=" + strings.ToUpper(digest), nil},
		{"uppercase algorithm", secret, "SHA256=" + digest, nil},
		{"surrounding space", secret, "  " + header + " ", nil},
		{"no header", secret, "", ErrSignatureMissing},
		{"blank header", secret, "   ", ErrSignatureMissing},
		{"sha1 header", secret, "sha1=" + digest[:40], ErrSignatureMalformed},
		{"no algorithm", secret, digest, ErrSignatureMalformed},
		{"no digest", secret, "sha256=", ErrSignatureMalformed},
		{"short digest", secret, "sha256=" + digest[:62], ErrSignatureMalformed},
		{"long digest", secret, header + "00", ErrSignatureMalformed},
		{"not hex", secret, "sha256=" + strings.Repeat("zz", 32), ErrSignatureMalformed},
		{"base64 digest", secret, "sha256=33ibTcyXxBuFuBcuhTGX0bfjlEXb93Q3TAxSOCy3eXQ=", ErrSignatureMalformed},
		{"other digest", secret, "sha256=" + strings.Repeat("00", 32), ErrSignatureMismatch},
		{"no app secret", nil, header, ErrNoAppSecret},
		{"empty app secret", []byte{}, header, ErrNoAppSecret},
	} {
		err := VerifySignature(c.secret, body, c.header)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: VerifySignature = %v; want %v", c.name, err, c.want)
		}
	}
}
