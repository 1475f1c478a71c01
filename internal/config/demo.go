package config

import "fmt"

// demoFakesOnly refuses real providers to jodo demo, before it reads
// their settings or touches a database: the demo generates people and
// messages them, so it runs only on the log SMS provider (or none) and
// its own fake WhatsApp.
func demoFakesOnly(env Env) error {
	if p := lookup(env, "JODO_SMS_PROVIDER", ""); p != SMSLog && p != SMSNone && p != "" {
		return fmt.Errorf("jodo demo runs only on its fakes, and JODO_SMS_PROVIDER is %s: unset it, or use jodo serve for real providers", p)
	}
	for _, name := range []string{"JODO_WHATSAPP_TOKEN", "JODO_WHATSAPP_TOKEN_FILE"} {
		if lookup(env, name, "") != "" {
			return fmt.Errorf("jodo demo runs only on its fakes, and a WhatsApp token is set (%s): unset it, or use jodo serve for real providers", name)
		}
	}
	return nil
}
