package config

import (
	"io"
	"strings"
	"testing"
)

// jodo demo refuses real providers, naming jodo serve, before anything
// else (Exotel's missing settings included); the log provider, none and
// no WhatsApp token are its fakes.
func TestDemoRefusesRealProviders(t *testing.T) {
	for _, env := range []map[string]string{
		{"JODO_SMS_PROVIDER": "exotel"},
		{"JODO_WHATSAPP_TOKEN": "EAAG-real"},
		{"JODO_WHATSAPP_TOKEN_FILE": "/run/secrets/wa"},
	} {
		_, err := Parse([]string{"demo"}, envOf(env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), "only on its fakes") || !strings.Contains(err.Error(), "jodo serve") {
			t.Errorf("demo with %v: %v", env, err)
		}
		if _, err := Parse([]string{"serve"}, envOf(env), io.Discard); err != nil && strings.Contains(err.Error(), "fakes") {
			t.Errorf("serve with %v: %v", env, err)
		}
	}
	for _, provider := range []string{"", "log", "none"} {
		if _, err := Parse([]string{"demo"}, envOf(map[string]string{"JODO_SMS_PROVIDER": provider}), io.Discard); err != nil {
			t.Errorf("demo with SMS provider %q: %v", provider, err)
		}
	}
}

// The demo writes generated people: a production database named in the
// environment is not where they go.
func TestDemoIgnoresTheDatabaseInTheEnvironment(t *testing.T) {
	env := func(name string) (string, bool) {
		if name == "JODO_DATABASE_URL" {
			return "postgres://prod.example/jodo", true
		}
		return "", false
	}
	cfg, err := Parse([]string{"demo"}, env, io.Discard)
	if err != nil || cfg.DatabaseURL != "sqlite:jodo-demo.db" {
		t.Errorf("jodo demo with JODO_DATABASE_URL set uses %q (%v)", cfg.DatabaseURL, err)
	}
	if cfg, err = Parse([]string{"migrate"}, env, io.Discard); err != nil || cfg.DatabaseURL != "postgres://prod.example/jodo" {
		t.Errorf("jodo migrate with JODO_DATABASE_URL set uses %v (%v)", cfg, err)
	}
}
