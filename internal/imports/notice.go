package imports

import (
	"context"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/smstext"
	"github.com/jodo-org/jodo/internal/store"
)

// Notices says how the notice goes that every person an import created
// must get before any outreach (the outbox holds outreach to them until it
// is sent). It goes only on a channel their import's consent evidence
// covers: WhatsApp with a WhatsApp opt-in, else SMS with an SMS opt-in.
type Notices struct {
	DB *store.DB
	// WhatsAppTemplate is the approved WhatsApp template
	// (JODO_WA_TEMPLATE_IMPORT_NOTICE); body variables the drive's name and
	// the import's source. "": no notice on WhatsApp.
	WhatsAppTemplate string
	// SMSProvider is the provider SMS go through; "" or "none": no SMS.
	SMSProvider string
	// SMSTemplates are the notice's DLT template ids by language
	// (JODO_SMS_TEMPLATE_IMPORT_NOTICE_EN, _HI); none: no notice by SMS.
	SMSTemplates map[string]string
	BaseURL      string
}

// Noticed counts what Notify did.
type Noticed struct {
	WhatsApp, SMS int64 // notices queued on each channel
	// NoChannel: people no notice can reach: no opt-in of the import's
	// covers a channel Jodo can send the notice on. They get no notice and
	// no outreach; a later run tries them again.
	NoChannel int64
	Already   int64 // people who had a notice before this run
}

// noticeBatch is how many people one transaction gives notices to.
const noticeBatch = 200

// Notify queues the notice for up to limit (0: all) of the people import
// importID created who have none yet, and records each. Run again, it
// queues nothing for those who have one.
func (n Notices) Notify(ctx context.Context, importID int64, limit int) (Noticed, error) {
	var out Noticed
	var imp store.Import
	var drive store.Drive
	var business string
	err := n.DB.View(ctx, func(tx *store.Tx) error {
		var err error
		if imp, err = store.GetImport(ctx, tx, importID); err != nil {
			return err
		}
		if imp.State != store.ImportDone {
			return apperr.New(apperr.Conflict, "import %d is %s: notices go once it is done", importID, imp.State)
		}
		if drive, err = store.DriveIn(ctx, tx, imp.DriveID); err != nil {
			return err
		}
		if business, err = store.DriveWhatsAppBusiness(ctx, tx, imp.DriveID); err != nil {
			return err
		}
		out.Already, err = store.NoticedCount(ctx, tx, importID)
		return err
	})
	if err != nil {
		return out, err
	}
	var after int64
	for limit <= 0 || out.WhatsApp+out.SMS < int64(limit) {
		size := noticeBatch
		if limit > 0 {
			size = min(size, limit-int(out.WhatsApp+out.SMS))
		}
		var batch Noticed
		var seen int
		next := after
		err := n.DB.Update(ctx, func(tx *store.Tx) error {
			batch, seen = Noticed{}, 0 // Update may run this again
			cands, err := store.NoticeCandidates(ctx, tx, importID, after, size)
			if err != nil {
				return err
			}
			seen = len(cands)
			var msgs []store.OutboxMessage
			var notices []store.ImportNotice
			for _, c := range cands {
				m := n.message(c, imp, drive, business)
				if m == nil {
					batch.NoChannel++
					continue
				}
				msgs = append(msgs, *m)
				notices = append(notices, store.ImportNotice{PersonID: c.PersonID, ImportID: importID, Channel: m.Channel})
				if m.Channel == store.ChannelWhatsApp {
					batch.WhatsApp++
				} else {
					batch.SMS++
				}
			}
			if len(cands) > 0 {
				next = cands[len(cands)-1].PersonID
			}
			return n.queue(ctx, tx, importID, msgs, notices)
		})
		if err != nil {
			return out, err
		}
		after = next
		out.WhatsApp, out.SMS, out.NoChannel = out.WhatsApp+batch.WhatsApp, out.SMS+batch.SMS, out.NoChannel+batch.NoChannel
		if seen < size {
			break
		}
	}
	return out, nil
}

// queue enqueues msgs and records notices, one per message, with their
// ids; a person noticed meanwhile by another run is a conflict, which
// rolls the batch back.
func (n Notices) queue(ctx context.Context, tx *store.Tx, importID int64, msgs []store.OutboxMessage, notices []store.ImportNotice) error {
	ids, err := store.EnqueueMessages(ctx, tx, msgs)
	if err != nil {
		return err
	}
	for i := range notices {
		notices[i].OutboxID = ids[i]
	}
	recorded, err := store.RecordNotices(ctx, tx, notices)
	if err != nil {
		return err
	}
	if recorded != int64(len(notices)) {
		return apperr.New(apperr.Conflict, "import %d: another run is giving notices at the same time", importID)
	}
	return nil
}

// message is c's notice: on WhatsApp as the approved template when they
// opted in there and the drive's number is known, else by SMS when they
// opted in to SMS and the template is registered; nil when neither.
func (n Notices) message(c store.NoticeCandidate, imp store.Import, drive store.Drive, business string) *store.OutboxMessage {
	if c.Phone == "" {
		return nil
	}
	lang := "hi"
	if c.Language == "en" {
		lang = "en"
	}
	name, source := sms.Clip(locale.Name(lang, drive.Name, drive.NameLocal)), sms.Clip(imp.Source)
	if c.WhatsApp && n.WhatsAppTemplate != "" && business != "" {
		body, err := graph.Outgoing{Kind: graph.KindTemplate, Template: &graph.TemplateRef{Name: n.WhatsAppTemplate,
			Language: lang, Params: []string{name, source}}}.Encode()
		if err == nil {
			return &store.OutboxMessage{PersonID: c.PersonID, Channel: store.ChannelWhatsApp, Provider: store.ChannelWhatsApp,
				Class: store.ClassOutreach, Body: body, To: c.Phone, From: business, DriveID: drive.ID}
		}
	}
	id := n.SMSTemplates[lang]
	if !c.SMS || n.SMSProvider == "" || n.SMSProvider == "none" || id == "" {
		return nil
	}
	text := strings.ReplaceAll(smstext.ImportNotice[lang], smstext.BaseURL, n.BaseURL)
	body, err := sms.Template{ID: id, Text: text}.Render(name, source)
	if err != nil {
		return nil
	}
	return &store.OutboxMessage{PersonID: c.PersonID, Channel: store.ChannelSMS, Provider: n.SMSProvider,
		Class: store.ClassOutreach, Template: id, Body: body, To: c.Phone, DriveID: drive.ID}
}
