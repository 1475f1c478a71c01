package main_test

import (
	"os/exec"
	"strings"
	"testing"
)

// Asking for help prints usage on stdout and succeeds; an unknown command
// is still a usage error (exit 2).
func TestHelpExitsZero(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "usage: jodo COMMAND"},
		{[]string{"-h"}, "usage: jodo COMMAND"},
		{[]string{"help"}, "usage: jodo COMMAND"},
		{[]string{"help", "token"}, "-area"},
		{[]string{"token", "create", "--help"}, "-area"},
		{[]string{"drive", "export", "--help"}, "JODO_DATABASE_URL"},
		{[]string{"drive", "--help"}, "drive apply FILE"},
		{[]string{"serve", "-h"}, "-addr"},
	} {
		cmd := exec.Command(jodoBinary(t), tc.args...)
		cmd.Dir = t.TempDir()
		out, err := cmd.Output()
		if err != nil || !strings.Contains(string(out), tc.want) {
			t.Errorf("jodo %s: %v, stdout %q, want %q in it", strings.Join(tc.args, " "), err, out, tc.want)
		}
	}
	err := exec.Command(jodoBinary(t), "nonsense").Run()
	if e, ok := err.(*exec.ExitError); !ok || e.ExitCode() != 2 {
		t.Errorf("jodo nonsense: %v, want exit 2", err)
	}
}
