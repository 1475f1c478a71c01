package handles

import "github.com/jodo-org/jodo/internal/apperr"

// Reasons a handle is refused. The web and bot edges map them to Hindi and
// English text, so they are codes, not sentences.
const (
	Empty           = "empty"            // nothing after trimming
	TooShort        = "too_short"        // shorter than the platform allows
	TooLong         = "too_long"         // longer than the platform (or Jodo) allows
	BadCharacters   = "bad_characters"   // a character the platform does not allow, a space, a control character
	NotAProfile     = "not_a_profile"    // a link to a post, reel, video, group or page, not a person
	OtherSite       = "other_site"       // a link to another site than the platform's
	InviteLink      = "invite_link"      // a group or chat invite link
	BadNumber       = "bad_number"       // WhatsApp: not a valid phone number
	UnknownPlatform = "unknown_platform" // a platform code not in Platforms
	PhoneNumber     = "phone_number"     // a mobile number given for another platform than WhatsApp
)

var reasonText = map[string]string{
	Empty:           "is empty",
	TooShort:        "is too short",
	TooLong:         "is too long",
	BadCharacters:   "has characters the platform does not allow",
	NotAProfile:     "is a link to a post or a page, not to a profile",
	OtherSite:       "is a link to another site",
	InviteLink:      "is an invite link, not a profile",
	BadNumber:       "is not a valid phone number",
	UnknownPlatform: "is for a platform Jodo does not know",
	PhoneNumber:     "is a phone number, not a name on the platform",
}

// Error says why a handle was refused. It leaves the input out of its
// message: messages end up in logs, and a WhatsApp handle is a phone number.
type Error struct {
	Platform string // a code from Platforms (or what was asked, for UnknownPlatform)
	Reason   string // one of the reason constants above
}

func (e *Error) Error() string {
	name := e.Platform
	if p, ok := Lookup(e.Platform); ok {
		name = p.Name
	}
	return "the " + name + " handle " + reasonText[e.Reason]
}

// Unwrap carries apperr.Invalid, so the API answers 400 without knowing
// this package.
func (e *Error) Unwrap() error { return apperr.New(apperr.Invalid, "%s", e.Error()) }

func refuse(platform, reason string) error { return &Error{Platform: platform, Reason: reason} }
