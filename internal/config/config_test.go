package config

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(m map[string]string) Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaultsFlagsAndEnv(t *testing.T) {
	cfg, err := Parse([]string{"demo"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DatabaseURL != "sqlite:jodo-demo.db" || cfg.Addr != "127.0.0.1:8080" || cfg.BaseURL != "http://127.0.0.1:8080" {
		t.Fatalf("demo defaults: %+v", cfg)
	}
	cfg, err = Parse([]string{"migrate"}, envOf(nil), io.Discard)
	if err != nil || cfg.DatabaseURL != "sqlite:jodo.db" {
		t.Fatalf("migrate default db: %+v %v", cfg, err)
	}
	env := envOf(map[string]string{"JODO_DATABASE_URL": "postgres://x/y", "JODO_ADDR": ":9000",
		"JODO_BASE_URL": "https://join.example.org/", "JODO_SECRET_KEY": strings.Repeat("a", 32)})
	cfg, err = Parse([]string{"serve", "--addr", "127.0.0.1:7000"}, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DatabaseURL != "postgres://x/y" || cfg.Addr != "127.0.0.1:7000" || cfg.BaseURL != "https://join.example.org" {
		t.Fatalf("flags over env: %+v", cfg)
	}
}

func TestSecretFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	os.WriteFile(path, []byte(strings.Repeat("f", 40)+"\n"), 0o600)
	cfg, err := Parse([]string{"serve"}, envOf(map[string]string{"JODO_SECRET_KEY_FILE": path}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SecretKey != strings.Repeat("f", 40) {
		t.Fatalf("secret from file: %q", cfg.SecretKey)
	}
	_, err = Parse([]string{"serve"}, envOf(map[string]string{"JODO_SECRET_KEY_FILE": path, "JODO_SECRET_KEY": "x"}), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not both") {
		t.Fatalf("both set: %v", err)
	}
	_, err = Parse([]string{"serve"}, envOf(map[string]string{"JODO_SECRET_KEY_FILE": path + ".missing"}), io.Discard)
	if err == nil {
		t.Fatal("missing secret file accepted")
	}
}

func TestRejects(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, "no command"},
		{[]string{"fly"}, nil, "unknown command"},
		{[]string{"serve"}, map[string]string{"JODO_SECRET_KEY": "short"}, "at least 32"},
		{[]string{"demo"}, map[string]string{"JODO_LOG_FORMAT": "xml"}, "JODO_LOG_FORMAT"},
		{[]string{"demo", "--nope"}, nil, "not defined"},
	} {
		_, err := Parse(tc.args, envOf(tc.env), io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v %v: got %v, want %q", tc.args, tc.env, err, tc.want)
		}
	}
}
