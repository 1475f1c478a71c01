package phone_test

import (
	"fmt"

	"github.com/jodo-org/jodo/internal/phone"
)

func Example() {
	for _, raw := range []string{"09876543210", "0651-2345678", "1800 000 0000", "123"} {
		e164, err := phone.Normalize(raw)
		if err != nil {
			fmt.Println(raw, "→", err)
			continue
		}
		fmt.Println(raw, "→", e164, phone.KindOf(e164), phone.IsMobile(e164), phone.Mask(e164))
	}
	// Output:
	// 09876543210 → +919876543210 mobile true +91 98xxxxxx10
	// 0651-2345678 → +916512345678 fixed_line false +91 65xxxxxx78
	// 1800 000 0000 → +9118000000000 toll_free false +91 18xxxxxxx00
	// 123 → phone: invalid number: too short
}
