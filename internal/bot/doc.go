// Package bot is the conversation engine: channel-neutral flows that take a
// person from "Hi" to member (language → notice and consent → 18+ → name →
// district → constituency → booth → membership number and card) and answer
// STOP, START, HELP, MY DATA and DELETE at any point, in Hindi or English.
//
// The engine reads an Input and the conversation's State and returns the
// new State and Replies; what a step changes (consents, registration,
// erasure) it writes in the caller's transaction, the same one that marks
// the message answered and queues the replies, so a message is answered
// once or not at all. The Worker leases conversations with unanswered
// messages, so one person's messages are answered one at a time, in the
// order they arrived, by one node. WhatsApp is the first channel
// (FromWhatsApp, Outgoing); another chat or SMS drives the same steps.
package bot
