package whatsapp

// ErrorClass is what an error code asks of the sender. Branch on it, never on
// an error's title or message, which Meta rewords.
type ErrorClass string

const (
	// Unknown is every code not listed here: log it and treat the send as
	// failed.
	Unknown ErrorClass = "unknown"
	// RateLimitedBusiness: the business number, account or app is over its
	// throughput. Back off all sends from it, then retry.
	RateLimitedBusiness ErrorClass = "rate_limited_business"
	// RateLimitedPair: too many messages to this one user in a short time.
	// Wait before sending to that user again; other users are unaffected.
	RateLimitedPair ErrorClass = "rate_limited_pair"
	// Retryable: a passing failure at Meta. Retry later a message known not
	// to have gone out (a failed status says so); in the answer to a send,
	// some of these codes may come after the message was handed on.
	Retryable ErrorClass = "retryable"
	// OutsideWindow: more than 24 h since the user last wrote; only an
	// approved template may be sent.
	OutsideWindow ErrorClass = "outside_window"
	// Undeliverable: the user cannot get WhatsApp messages now (not on
	// WhatsApp, an old app, blocked us…). Fall back to SMS.
	Undeliverable ErrorClass = "undeliverable"
	// Permanent: this message will not go. Do not retry it.
	Permanent ErrorClass = "permanent"
	// InvalidRequest: our request or template is wrong. Retrying the same
	// request cannot succeed; it is a bug or a template to fix.
	InvalidRequest ErrorClass = "invalid_request"
	// AccountProblem: every send will fail until a person acts (expired
	// token, policy block, spam restriction, number not registered). Stop and
	// alert.
	AccountProblem ErrorClass = "account_problem"
)

// errorClasses holds the codes of PROVIDERS.md §1.7, and a few more from
// Meta's error-code list (1, 2, 0, 3, 10, 131000, 131016, 131050–131052,
// 133010), so the table is reviewed as data.
var errorClasses = map[int]ErrorClass{
	130429: RateLimitedBusiness, // throughput (messages per second) of the number
	80007:  RateLimitedBusiness, // WABA rate limit
	4:      RateLimitedBusiness, // app-level API call limit

	131056: RateLimitedPair,

	131057: Retryable, // number being upgraded for throughput, about a minute
	1:      Retryable, // API unknown: possibly a server error
	2:      Retryable, // API service: temporary downtime or overload
	131000: Retryable, // something went wrong
	131016: Retryable, // service unavailable

	131047: OutsideWindow,

	131026: Undeliverable,

	131049: Permanent, // held back "to maintain healthy ecosystem engagement": not now
	131050: Permanent, // the user stopped marketing messages
	131051: Permanent, // unsupported message type
	131052: Permanent, // media could not be downloaded

	100: InvalidRequest,

	0:      AccountProblem, // could not authenticate the app user
	3:      AccountProblem, // capability or permission missing
	10:     AccountProblem, // permission denied
	190:    AccountProblem, // access token expired
	368:    AccountProblem, // blocked for a policy violation
	131031: AccountProblem, // account locked
	131048: AccountProblem, // spam rate limit: check the quality rating
	133010: AccountProblem, // business number not registered
}

// Classify says what error code asks of the sender. Template errors
// (132000–132999: parameters that do not match the approved template, a
// missing, paused or disabled template) are InvalidRequest; API permission
// errors (200–299) are AccountProblem.
func Classify(code int) ErrorClass {
	if c, ok := errorClasses[code]; ok {
		return c
	}
	switch {
	case code >= 132000 && code <= 132999:
		return InvalidRequest
	case code >= 200 && code <= 299:
		return AccountProblem
	}
	return Unknown
}
