package config

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SMS providers JODO_SMS_PROVIDER may name.
const (
	SMSExotel = "exotel"
	SMSLog    = "log"  // prints each SMS to standard output; development only
	SMSNone   = "none" // sends no SMS and queues no follow-ups
)

// SMS is how Jodo sends SMS (docs/sms.md).
type SMS struct {
	Provider    string  // JODO_SMS_PROVIDER: exotel, log or none
	Rate        float64 // JODO_SMS_RATE: sends per second per node (0: unlimited)
	DailyBudget int     // JODO_SMS_DAILY_BUDGET: sends per day across all nodes (0: unlimited)
	// SignInBudget is JODO_SIGNIN_DAILY_BUDGET: sign-in codes sent per day,
	// all phones, against SMS pumping (0: unlimited).
	SignInBudget int
	SenderID     string // JODO_SMS_SENDER_ID: the DLT header
	EntityID     string // JODO_SMS_DLT_ENTITY_ID
	// FollowupTemplates are the DLT template ids of the follow-up, by
	// language: JODO_SMS_TEMPLATE_FOLLOWUP_EN and _HI.
	FollowupTemplates map[string]string
	// SignInTemplates are those of the sign-in code SMS:
	// JODO_SMS_TEMPLATE_SIGNIN_EN and _HI.
	SignInTemplates map[string]string
	// GroupReminderTemplates are those of the group reminder, optional:
	// JODO_SMS_TEMPLATE_GROUP_REMINDER_EN and _HI.
	GroupReminderTemplates map[string]string
	// ImportNoticeTemplates are those of the import notice, optional:
	// JODO_SMS_TEMPLATE_IMPORT_NOTICE_EN and _HI.
	ImportNoticeTemplates map[string]string
	// RequestCodeTemplates are those of the code confirming a request a
	// person made to staff, optional: JODO_SMS_TEMPLATE_REQUEST_CODE_EN
	// and _HI.
	RequestCodeTemplates map[string]string
	// EnrolCodeTemplates are those of the code a member gives a volunteer
	// enrolling them, optional: JODO_SMS_TEMPLATE_ENROL_CODE_EN and _HI.
	EnrolCodeTemplates map[string]string
	Exotel             Exotel
}

// Exotel is an Exotel account.
type Exotel struct {
	APIBase    string // JODO_EXOTEL_API_BASE
	AccountSID string // JODO_EXOTEL_ACCOUNT_SID
	APIKey     string // JODO_EXOTEL_API_KEY (or _FILE)
	APIToken   string // JODO_EXOTEL_API_TOKEN (or _FILE)
}

func parseSMS(env Env, baseURL string) (SMS, error) {
	s := SMS{
		Provider: lookup(env, "JODO_SMS_PROVIDER", ""),
		SenderID: lookup(env, "JODO_SMS_SENDER_ID", ""),
		EntityID: lookup(env, "JODO_SMS_DLT_ENTITY_ID", ""),
		FollowupTemplates: map[string]string{
			"en": lookup(env, "JODO_SMS_TEMPLATE_FOLLOWUP_EN", ""),
			"hi": lookup(env, "JODO_SMS_TEMPLATE_FOLLOWUP_HI", ""),
		},
		SignInTemplates: map[string]string{
			"en": lookup(env, "JODO_SMS_TEMPLATE_SIGNIN_EN", ""),
			"hi": lookup(env, "JODO_SMS_TEMPLATE_SIGNIN_HI", ""),
		},
		GroupReminderTemplates: map[string]string{
			"en": lookup(env, "JODO_SMS_TEMPLATE_GROUP_REMINDER_EN", ""),
			"hi": lookup(env, "JODO_SMS_TEMPLATE_GROUP_REMINDER_HI", ""),
		},
		ImportNoticeTemplates: map[string]string{
			"en": lookup(env, "JODO_SMS_TEMPLATE_IMPORT_NOTICE_EN", ""),
			"hi": lookup(env, "JODO_SMS_TEMPLATE_IMPORT_NOTICE_HI", ""),
		},
		RequestCodeTemplates: map[string]string{
			"en": lookup(env, "JODO_SMS_TEMPLATE_REQUEST_CODE_EN", ""),
			"hi": lookup(env, "JODO_SMS_TEMPLATE_REQUEST_CODE_HI", ""),
		},
		EnrolCodeTemplates: map[string]string{
			"en": lookup(env, "JODO_SMS_TEMPLATE_ENROL_CODE_EN", ""),
			"hi": lookup(env, "JODO_SMS_TEMPLATE_ENROL_CODE_HI", ""),
		},
		Exotel: Exotel{
			APIBase:    lookup(env, "JODO_EXOTEL_API_BASE", "https://api.in.exotel.com"),
			AccountSID: lookup(env, "JODO_EXOTEL_ACCOUNT_SID", ""),
		},
	}
	var err error
	if s.Exotel.APIKey, err = Secret(env, "JODO_EXOTEL_API_KEY"); err != nil {
		return s, err
	}
	if s.Exotel.APIToken, err = Secret(env, "JODO_EXOTEL_API_TOKEN"); err != nil {
		return s, err
	}
	if s.Rate, err = strconv.ParseFloat(lookup(env, "JODO_SMS_RATE", "50"), 64); err != nil || s.Rate < 0 {
		return s, fmt.Errorf("JODO_SMS_RATE must be a number of sends per second (0: unlimited)")
	}
	if s.DailyBudget, err = strconv.Atoi(lookup(env, "JODO_SMS_DAILY_BUDGET", "0")); err != nil || s.DailyBudget < 0 {
		return s, fmt.Errorf("JODO_SMS_DAILY_BUDGET must be a whole number of SMS a day (0: unlimited)")
	}
	if s.SignInBudget, err = strconv.Atoi(lookup(env, "JODO_SIGNIN_DAILY_BUDGET", "20000")); err != nil || s.SignInBudget < 0 {
		return s, fmt.Errorf("JODO_SIGNIN_DAILY_BUDGET must be a whole number of codes a day (0: unlimited)")
	}
	https := strings.HasPrefix(baseURL, "https://")
	switch s.Provider {
	case "":
		if https {
			return s, errors.New("JODO_BASE_URL is https, so JODO_SMS_PROVIDER must be set: exotel, or none to send no SMS (docs/sms.md)")
		}
		s.Provider = SMSLog
	case SMSLog:
		if https {
			return s, errors.New("JODO_SMS_PROVIDER=log prints every SMS, phone number and link included, to standard output: it is for development and refused when JODO_BASE_URL is https")
		}
	case SMSNone:
	case SMSExotel:
		var missing []string
		for name, v := range map[string]string{"JODO_EXOTEL_ACCOUNT_SID": s.Exotel.AccountSID, "JODO_EXOTEL_API_KEY": s.Exotel.APIKey,
			"JODO_EXOTEL_API_TOKEN": s.Exotel.APIToken, "JODO_SMS_SENDER_ID": s.SenderID, "JODO_SMS_DLT_ENTITY_ID": s.EntityID,
			"JODO_SMS_TEMPLATE_FOLLOWUP_EN": s.FollowupTemplates["en"], "JODO_SMS_TEMPLATE_FOLLOWUP_HI": s.FollowupTemplates["hi"],
			"JODO_SMS_TEMPLATE_SIGNIN_EN": s.SignInTemplates["en"], "JODO_SMS_TEMPLATE_SIGNIN_HI": s.SignInTemplates["hi"]} {
			if v == "" {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			return s, fmt.Errorf("JODO_SMS_PROVIDER=exotel needs %s (docs/sms.md)", strings.Join(missing, ", "))
		}
	default:
		return s, fmt.Errorf("JODO_SMS_PROVIDER must be exotel, log or none, not %q", s.Provider)
	}
	return s, nil
}
