package config

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
		"JODO_BASE_URL": "https://join.example.org/", "JODO_SECRET_KEY": strings.Repeat("a", 32), "JODO_SMS_PROVIDER": "none"})
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

func TestSMSSettings(t *testing.T) {
	key := strings.Repeat("a", 32)
	parse := func(m map[string]string) (*Config, error) {
		m["JODO_SECRET_KEY"] = key
		return Parse([]string{"serve"}, envOf(m), io.Discard)
	}
	cfg, err := parse(map[string]string{})
	if err != nil || cfg.SMS.Provider != SMSLog || cfg.SMS.Rate != 50 {
		t.Fatalf("http default: %+v %v", cfg, err)
	}
	for _, provider := range []string{"", "log"} {
		_, err := parse(map[string]string{"JODO_BASE_URL": "https://j.example.in", "JODO_SMS_PROVIDER": provider})
		if err == nil || !strings.Contains(err.Error(), "JODO_SMS_PROVIDER") {
			t.Errorf("provider %q behind https: %v, want a refusal", provider, err)
		}
	}
	_, err = parse(map[string]string{"JODO_SMS_PROVIDER": "exotel", "JODO_EXOTEL_ACCOUNT_SID": "sid"})
	if err == nil || !strings.Contains(err.Error(), "JODO_EXOTEL_API_KEY") || !strings.Contains(err.Error(), "JODO_SMS_TEMPLATE_FOLLOWUP_HI") ||
		strings.Contains(err.Error(), "JODO_EXOTEL_ACCOUNT_SID") {
		t.Errorf("incomplete exotel settings: %v", err)
	}
	cfg, err = parse(map[string]string{"JODO_BASE_URL": "https://j.example.in", "JODO_SMS_PROVIDER": "exotel",
		"JODO_EXOTEL_ACCOUNT_SID": "sid", "JODO_EXOTEL_API_KEY": "k", "JODO_EXOTEL_API_TOKEN": "t", "JODO_SMS_SENDER_ID": "JODOIN",
		"JODO_SMS_DLT_ENTITY_ID": "1101", "JODO_SMS_TEMPLATE_FOLLOWUP_EN": "11", "JODO_SMS_TEMPLATE_FOLLOWUP_HI": "12",
		"JODO_SMS_TEMPLATE_SIGNIN_EN": "13", "JODO_SMS_TEMPLATE_SIGNIN_HI": "14",
		"JODO_EXOTEL_API_BASE": "http://127.0.0.1:9", "JODO_SMS_RATE": "2.5", "JODO_SMS_DAILY_BUDGET": "1000",
		"JODO_SMS_TEMPLATE_GROUP_REMINDER_HI": "16", "JODO_WA_TEMPLATE_GROUP_REMINDER": "group_reminder"})
	if err != nil || cfg.SMS.Exotel.APIBase != "http://127.0.0.1:9" || cfg.SMS.Rate != 2.5 || cfg.SMS.DailyBudget != 1000 ||
		cfg.SMS.FollowupTemplates["hi"] != "12" || cfg.SMS.GroupReminderTemplates["hi"] != "16" || cfg.SMS.GroupReminderTemplates["en"] != "" ||
		cfg.WhatsAppGroupReminder != "group_reminder" {
		t.Fatalf("exotel settings: %+v %v", cfg, err)
	}
	if _, err := parse(map[string]string{"JODO_SMS_PROVIDER": "msg91"}); err == nil {
		t.Error("an unknown provider was accepted")
	}
	if _, err := parse(map[string]string{"JODO_SMS_RATE": "fast"}); err == nil {
		t.Error("a rate that is not a number was accepted")
	}
}

func TestTrustedProxies(t *testing.T) {
	env := envOf(map[string]string{"JODO_SECRET_KEY": strings.Repeat("a", 32), "JODO_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.5 ,fd00::1/64"})
	cfg, err := Parse([]string{"serve"}, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(cfg.TrustedProxies)
	if got != "[10.0.0.0/8 192.168.1.5/32 fd00::/64]" {
		t.Errorf("trusted proxies %s", got)
	}
	env = envOf(map[string]string{"JODO_SECRET_KEY": strings.Repeat("a", 32), "JODO_TRUSTED_PROXIES": "proxy.local"})
	if _, err := Parse([]string{"serve"}, env, io.Discard); err == nil || !strings.Contains(err.Error(), "proxy.local") {
		t.Errorf("a host name was accepted: %v", err)
	}
}

func TestCountriesAndMetrics(t *testing.T) {
	cfg, err := Parse([]string{"demo"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(cfg.Countries) != "[IN]" || cfg.MetricsAddr != "" || cfg.MetricsToken != "" {
		t.Fatalf("defaults: countries %v, metrics %q %q", cfg.Countries, cfg.MetricsAddr, cfg.MetricsToken)
	}
	cfg, err = Parse([]string{"demo"}, envOf(map[string]string{"JODO_COUNTRIES": " in, np ,IN", "JODO_METRICS_ADDR": "127.0.0.1:9100", "JODO_METRICS_TOKEN": "t0k"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(cfg.Countries) != "[IN NP]" || cfg.MetricsAddr != "127.0.0.1:9100" || cfg.MetricsToken != "t0k" {
		t.Fatalf("set: countries %v, metrics %q %q", cfg.Countries, cfg.MetricsAddr, cfg.MetricsToken)
	}
	for _, bad := range []string{"IND", "1N", ","} {
		if _, err := Parse([]string{"demo"}, envOf(map[string]string{"JODO_COUNTRIES": bad}), io.Discard); err == nil || !strings.Contains(err.Error(), "JODO_COUNTRIES") {
			t.Errorf("JODO_COUNTRIES=%q: %v", bad, err)
		}
	}
}

// The velocity flags' thresholds have defaults, are read from JODO_FLAG_*,
// and a threshold that would flag everyone or a lookback longer than the
// registration marks are kept is refused.
func TestFlagThresholds(t *testing.T) {
	cfg, err := Parse([]string{"migrate"}, envOf(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := Flags{Recruits: FlagRule{10, time.Hour}, Network: FlagRule{20, time.Hour}, Device: FlagRule{5, time.Hour},
		Groups: FlagRule{15, time.Hour}, Lookback: 7 * 24 * time.Hour}
	if cfg.Flags != want {
		t.Fatalf("default flags %+v, want %+v", cfg.Flags, want)
	}
	cfg, err = Parse([]string{"migrate"}, envOf(map[string]string{"JODO_FLAG_DEVICE": "3", "JODO_FLAG_DEVICE_WITHIN": "10m",
		"JODO_FLAG_GROUPS": "0", "JODO_FLAG_LOOKBACK": "720h"}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Flags.Device != (FlagRule{3, 10 * time.Minute}) || cfg.Flags.Groups.AtLeast != 0 || cfg.Flags.Lookback != 30*24*time.Hour {
		t.Fatalf("flags from env: %+v", cfg.Flags)
	}
	for name, value := range map[string]string{"JODO_FLAG_RECRUITS": "1", "JODO_FLAG_NETWORK": "-2", "JODO_FLAG_DEVICE": "many",
		"JODO_FLAG_GROUPS_WITHIN": "10s", "JODO_FLAG_RECRUITS_WITHIN": "48h", "JODO_FLAG_LOOKBACK": "721h"} {
		if _, err := Parse([]string{"migrate"}, envOf(map[string]string{name: value}), io.Discard); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v, want it refused by name", name, value, err)
		}
	}
}
