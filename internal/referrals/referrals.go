// Package referrals owns who brought whom: every member's referral code
// (random, found by a keyed hash, sealed to be shown to them again), the
// referrer a participation records once (Refer), and the credit a
// recruiter gets when a recruit is verified (Verified): direct for the
// referrer, indirect for up to three levels above, in recruiter_credits,
// so leaderboards read those rows and never scan people. Recruiting a
// verified member makes the referrer active.
package referrals

import (
	"context"
	"errors"
	"strconv"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/subkey"
)

// Levels is how far up a chain credit goes: the direct referrer and three
// above.
const Levels = 4

// Referrals runs the referral use-cases for one installation.
type Referrals struct {
	hashKey []byte
	sealer  *subkey.Sealer
}

// New returns Referrals keyed with the installation's secret key: one
// derived key hashes codes, another seals them.
func New(secretKey []byte) *Referrals {
	return &Referrals{hashKey: subkey.Derive(secretKey, "referral code hash"),
		sealer: subkey.NewSealer(subkey.Derive(secretKey, "referral code seal"))}
}

// hash is a code's keyed hash.
func (r *Referrals) hash(code string) string { return subkey.Hash(r.hashKey, code) }

// CodeFor returns the person's referral code, giving them one first if
// they have none.
func (r *Referrals) CodeFor(ctx context.Context, tx *store.Tx, personID int64) (string, error) {
	context := "person:" + strconv.FormatInt(personID, 10)
	for range 5 {
		sealed, err := store.ReferralCodeOf(ctx, tx, personID)
		if err == nil {
			return r.sealer.Open(sealed, context)
		}
		if apperr.CodeOf(err) != apperr.NotFound {
			return "", err
		}
		code := links.NewReferralCode()
		if _, err := store.SaveReferralCode(ctx, tx, personID, r.hash(code), r.sealer.Seal(code, context)); apperr.CodeOf(err) != apperr.Conflict && err != nil {
			return "", err
		}
	}
	return "", apperr.New(apperr.Internal, "no referral code could be drawn for person %d", personID)
}

// Referrer is the person a code (as ParseReferralCode reads it) belongs
// to; an unknown code, or an erased person's, is not found.
func (r *Referrals) Referrer(ctx context.Context, tx *store.Tx, code string) (int64, error) {
	return store.ReferrerByCode(ctx, tx, r.hash(code))
}

// Refer records that the person with code referred the participation:
// once, never oneself, never after registration, only from someone who
// joined the drive before (so that no chain loops). set is false when
// nothing changed; an unknown code is no error, only no credit.
func (r *Referrals) Refer(ctx context.Context, tx *store.Tx, participationID int64, code string) (set bool, err error) {
	referrer, err := r.Referrer(ctx, tx, code)
	if apperr.CodeOf(err) == apperr.NotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return store.SetReferrer(ctx, tx, participationID, referrer)
}

// Verified credits the chain above a participation that has just been
// verified (the caller moved the stage, in tx): +1 direct to its
// referrer, who becomes active, +1 indirect to each of up to three above.
func (r *Referrals) Verified(ctx context.Context, tx *store.Tx, part store.Participation, day string) error {
	if part.ReferredBy == 0 {
		return nil
	}
	// Once a recruit: verifying again after leaving and rejoining credits nobody.
	if first, err := store.FirstCredit(ctx, tx, part.ID); err != nil || !first {
		return err
	}
	referrer := part.ReferredBy
	for level := 0; level < Levels && referrer != 0; level++ {
		up, err := store.FindParticipation(ctx, tx, referrer, part.DriveID)
		if apperr.CodeOf(err) == apperr.NotFound {
			return nil // referred from another drive's membership: no chain here
		}
		if err != nil {
			return err
		}
		direct, indirect := int64(0), int64(1)
		if level == 0 {
			direct, indirect = 1, 0
			if _, err := store.ReachStage(ctx, tx, up.ID, store.StageActive, 0, up.Channel, day); err != nil {
				return err
			}
		}
		if err := store.Credit(ctx, tx, part.DriveID, referrer, up.AreaID, direct, indirect); err != nil {
			return err
		}
		referrer = up.ReferredBy
	}
	return nil
}

// Code is the person's referral code if they have one ("" if not), for a
// read-only view (MY DATA, /me) that must not give one.
func (r *Referrals) Code(ctx context.Context, tx *store.Tx, personID int64) (string, error) {
	sealed, err := store.ReferralCodeOf(ctx, tx, personID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	code, err := r.sealer.Open(sealed, "person:"+strconv.FormatInt(personID, 10))
	if errors.Is(err, subkey.ErrSealed) {
		return "", nil // sealed under another JODO_SECRET_KEY (docs/volunteers.md, Key rotation)
	}
	return code, err
}
