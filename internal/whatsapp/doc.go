// Package whatsapp owns the WhatsApp Cloud API's wire formats: checking that
// a webhook really comes from Meta (the X-Hub-Signature-256 HMAC and the GET
// verification handshake), reading webhook notifications into flat lists of
// messages, statuses and errors, and telling what an error code asks of the
// sender.
//
// It does no I/O: handlers read the body, pass the raw bytes here before
// anything else touches them, and store what comes back. Meta delivers at
// least once, so Message.Key and Status.Key are what a store deduplicates on.
package whatsapp
