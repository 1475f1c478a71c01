// Package importtest writes generated people files for the import
// benchmarks: the shape an organiser's export from an older system has,
// on the Jharkhand geography.
package importtest

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
)

// Header is the generated file's header: every column Read knows.
const Header = "phone,name,area,language,languages,role,adult,adult_evidence,consent_evidence,consent_date,whatsapp_optin,sms_optin,legacy_no\n"

var (
	firsts = []string{"Sunita", "Ramesh", "Anita", "Vikas", "Priya", "Mohan", "Asha", "Ravi", "Suman", "Ajay", "Kiran", "Deepak",
		"Rekha", "Sanjay", "Pooja", "Manoj", "Geeta", "Rakesh", "Savitri", "Birsa", "Jitendra", "Lalita", "Shibu", "Kavita"}
	lasts = []string{"Devi", "Oraon", "Kumari", "Mahto", "Soren", "Munda", "Tirkey", "Kumar", "Singh", "Hembrom", "Murmu",
		"Kujur", "Ekka", "Prasad", "Yadav", "Sahu", "Minz", "Toppo", "Lakra", "Besra"}
)

// Phone is the phone of row i (0-based) of a generated file: mobile
// numbers from +91 70000 00000 on, clear of the intake benchmark's callers.
func Phone(i int) string { return fmt.Sprintf("+9170%08d", i) }

// ACCode is the code of Jharkhand's assembly constituency n (1–81).
func ACCode(n int) string { return fmt.Sprintf("JH-AC-%03d", n) }

// Write writes a people file of n rows, rows first to first+n-1 of the
// generated sequence (Phone(i) for row i), into w: 70% declared adults
// (members), a tenth of all rows volunteers, nine in ten named, spread over
// the 81 ACs, with opt-ins, consent dates and legacy numbers as an older
// system's export has them. The same (first, n) always gives the same bytes.
func Write(w io.Writer, first, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	if _, err := bw.WriteString(Header); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(uint64(first), uint64(n)))
	for i := first; i < first+n; i++ {
		name := ""
		if r.IntN(10) != 0 {
			name = firsts[r.IntN(len(firsts))] + " " + lasts[r.IntN(len(lasts))]
		}
		lang, langs, role, adult, adultEv := "hi", "", "", "no", ""
		if r.IntN(5) == 0 {
			lang = "en"
		}
		switch k := r.IntN(10); {
		case k == 0:
			role, adult, adultEv, langs = "volunteer", "yes", "voter roll 2024", "hi sat"
		case k < 7:
			adult, adultEv = "yes", "voter roll 2024"
		}
		wa, sms, ev, date := "no", "no", "", ""
		if r.IntN(2) == 0 {
			wa = "yes"
		}
		if r.IntN(3) == 0 {
			sms = "yes"
		}
		if wa == "yes" || sms == "yes" {
			ev, date = "signed form at the camp", fmt.Sprintf("2025-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))
		}
		_, err := fmt.Fprintf(bw, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,OLD-%07d\n", Phone(i)[3:], name, ACCode(1+r.IntN(81)), lang,
			langs, role, adult, adultEv, ev, date, wa, sms, i)
		if err != nil {
			return err
		}
	}
	return bw.Flush()
}
