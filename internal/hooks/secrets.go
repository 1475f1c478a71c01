package hooks

import (
	"context"
	"crypto/sha256"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/store"
)

// secretBook knows the webhook secrets: JODO_HOOK_SECRET, which names no
// channel, and each channel's own secret named in its drive file (by
// environment variable or file). Secrets are kept as SHA-256 digests and
// looked up by digest, so a guess's timing says nothing about the secret.
type secretBook struct {
	db     *store.DB
	env    config.Env
	global string

	mu     sync.Mutex
	byHash map[[32]byte]string // digest → channel number ("" for the global secret)
	loaded time.Time
}

// reloadAfter bounds how often a miss re-reads the channels: a drive
// applied by another process is picked up within seconds, and a flood of
// wrong secrets costs at most one reload per interval.
const reloadAfter = 5 * time.Second

// lookup returns the channel number a secret stands for ("" for the
// global one) and whether the secret is known.
func (b *secretBook) lookup(ctx context.Context, secret string) (string, bool) {
	if secret == "" {
		return "", false
	}
	digest := sha256.Sum256([]byte(secret))
	b.mu.Lock()
	defer b.mu.Unlock()
	if number, ok := b.byHash[digest]; ok {
		return number, true
	}
	if time.Since(b.loaded) < reloadAfter {
		return "", false
	}
	b.reload(ctx)
	number, ok := b.byHash[digest]
	return number, ok
}

func (b *secretBook) reload(ctx context.Context) {
	b.loaded = time.Now()
	m := map[[32]byte]string{}
	if b.global != "" {
		m[sha256.Sum256([]byte(b.global))] = ""
	}
	channels, err := b.db.AllChannels(ctx)
	if err != nil {
		return // keep the old book; the next miss retries
	}
	for _, ch := range channels {
		if s := b.channelSecret(ch); s != "" {
			m[sha256.Sum256([]byte(s))] = ch.Number
		}
	}
	b.byHash = m
}

func (b *secretBook) channelSecret(ch store.DriveChannel) string {
	if ch.SecretEnv != "" {
		v, _ := b.env(ch.SecretEnv)
		return v
	}
	if ch.SecretFile != "" {
		data, err := os.ReadFile(ch.SecretFile)
		if err == nil {
			return strings.TrimRight(string(data), "\r\n")
		}
	}
	return ""
}
