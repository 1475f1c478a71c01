package drive

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ChannelKinds are the ways a person can reach a drive by phone.
var ChannelKinds = []string{"missed_call", "whatsapp", "sms"}

// numberRegion is where numbers written without a country code are dialled:
// Indian admins write toll-free numbers as "1800 …", not "+91 1800 …".
const numberRegion = "IN"

var envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// validateChannels checks each channel and returns the list with numbers in
// E.164, the form the intake hooks look calls and messages up by.
func validateChannels(chs []Channel, p *problems) []Channel {
	out := make([]Channel, 0, len(chs))
	seen := map[string]int{}
	for i, ch := range chs {
		where := fmt.Sprintf("channels[%d]", i)
		ch = validateChannel(ch, where, p)
		if first, dup := seen[ch.Number]; dup && ch.Number != "" {
			p.add("%s: number %s is already used by channels[%d]", where, ch.Number, first)
		} else {
			seen[ch.Number] = i
		}
		out = append(out, ch)
	}
	return out
}

func validateChannel(ch Channel, where string, p *problems) Channel {
	if !slices.Contains(ChannelKinds, ch.Kind) {
		p.add("%s.kind: %q is not one of %v", where, ch.Kind, ChannelKinds)
	}
	if e164, err := NormalizeNumber(ch.Number); err != nil {
		p.add("%s.number: %v", where, err)
	} else {
		ch.Number = e164
	}
	validateSecretRef(ch, where, p)
	if ch.Off && ch.Kind != "whatsapp" {
		p.add("%s.off: only a whatsapp channel can be switched off", where)
	}
	return ch
}

func validateSecretRef(ch Channel, where string, p *problems) {
	if ch.SecretEnv != "" && ch.SecretFile != "" {
		p.add("%s: give secret_env or secret_file, not both", where)
	}
	if ch.SecretEnv != "" && !envNamePattern.MatchString(ch.SecretEnv) {
		p.add("%s.secret_env: %q is not an environment variable name", where, ch.SecretEnv)
	}
}

// NormalizeNumber gives a phone number in E.164, reading numbers without a
// country code as Indian ("1800 000 0000" → "+9118000000000").
func NormalizeNumber(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "", errors.New("must not be empty")
	}
	n, err := phonenumbers.Parse(s, numberRegion)
	if err != nil {
		return "", fmt.Errorf("%q is not a phone number", s)
	}
	// An extension cannot be dialled by a missed call or addressed by a message.
	if n.GetExtension() != "" {
		return "", fmt.Errorf("%q has an extension, which a drive number cannot have", s)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("%q is not a valid phone number", s)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// Dialled is a drive number (E.164) as people dial it: in the national
// format for an Indian number ("1800 000 0000": toll-free numbers are
// dialled without +91), internationally otherwise.
func Dialled(e164 string) string {
	n, err := phonenumbers.Parse(e164, numberRegion)
	if err != nil {
		return e164
	}
	if phonenumbers.GetRegionCodeForNumber(n) != numberRegion {
		return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.NATIONAL)
}
