// Command jodo runs Jodo: see `jodo` with no arguments for its commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/jodo-org/jodo/internal/app"
	"github.com/jodo-org/jodo/internal/config"
)

func main() {
	if config.Help(os.Args[1:], os.LookupEnv, os.Stdout) {
		return
	}
	cfg, err := config.Parse(os.Args[1:], os.LookupEnv, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "jodo:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, cfg, app.IO{Stdout: os.Stdout, Stderr: os.Stderr, Env: os.LookupEnv}); err != nil {
		fmt.Fprintln(os.Stderr, "jodo:", err)
		os.Exit(1)
	}
}
