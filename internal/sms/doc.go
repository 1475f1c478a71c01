// Package sms owns SMS providers' wire formats and India's DLT rules:
// rendering registered templates, counting parts, sending through a provider
// (Exotel, or a log for development) as a send.Provider, and reading its
// delivery reports.
//
// It holds no state and no SQL. The outbox sender decides what to do with a
// send.Result; this package only says, as exactly as the transport allows,
// whether a message can have gone out.
package sms
