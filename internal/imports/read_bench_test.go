package imports

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// benchRows is the size of the file BenchmarkRead reads: the size of the
// largest lists the issue expects.
const benchRows = 1_000_000

// benchFile is a people file of n good rows with every column filled.
func benchFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString("phone,name,area,language,languages,role,adult,adult_evidence,consent_evidence,consent_date,whatsapp_optin,sms_optin,legacy_no\n")
	areas := []string{"JH-AC-063", "JH-AC-063-B-0001"}
	for i := range n {
		b.WriteString(strconv.Itoa(9000000000 + i))
		b.WriteString(",Sunita Devi,")
		b.WriteString(areas[i%2])
		b.WriteString(",hi,hi sck,member,yes,Aadhaar seen,Signed form at the camp,14/11/2026,yes,no,RJ-")
		b.WriteString(strconv.Itoa(i))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// BenchmarkRead reads a generated file of a million rows; rows/s is the
// figure the design asks 300,000 of.
func BenchmarkRead(b *testing.B) {
	file := benchFile(benchRows)
	_, _ = phone.Normalize("9876543210") // builds the prefix table, once a process
	b.SetBytes(int64(len(file)))
	cpu := cpuTime()
	for b.Loop() {
		check, err := Read(bytes.NewReader(file), fakeArea, inFakeDrive, AsMember, func(store.StagedRow) error { return nil })
		if err != nil || check.Rows != benchRows {
			b.Fatalf("Rows %d, err %v, problems %+v", check.Rows, err, check.Problems)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	// On a machine others share, wall time says little: rows per second of
	// this process's CPU (all its threads, the collector's too) says what
	// reading costs.
	if used := cpuTime() - cpu; cpu >= 0 && used > 0 {
		b.ReportMetric(float64(benchRows)*float64(b.N)/used.Seconds(), "rows/cpu-s")
	}
}

// cpuTime is the user and system time the process has used so far, from
// Linux's /proc; -1 where there is none.
func cpuTime() time.Duration {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return -1
	}
	_, after, _ := bytes.Cut(stat, []byte(") ")) // the command name may hold spaces
	fields := strings.Fields(string(after))
	if len(fields) < 13 {
		return -1
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on every Linux Go runs on
	return time.Duration(utime+stime) * tick
}
