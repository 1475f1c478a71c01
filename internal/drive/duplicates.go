package drive

import (
	"bytes"
	"encoding/json"
)

// jsonFrame is one open object or array while walking a file's tokens.
type jsonFrame struct {
	object    bool
	expectKey bool
	seen      map[string]bool
}

// duplicateKeys finds keys given twice in one object. encoding/json silently
// keeps the last, so a second "targets" pasted below the first would drop
// every rule of the first without a word.
func duplicateKeys(data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	var stack []*jsonFrame
	var dups []string
	for {
		tok, err := dec.Token()
		if err != nil {
			return dups
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if key, ok := tok.(string); ok && top != nil && top.expectKey {
			if top.seen[key] {
				dups = append(dups, key)
			}
			top.seen[key], top.expectKey = true, false
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			object := tok == json.Delim('{')
			stack = append(stack, &jsonFrame{object: object, expectKey: object, seen: map[string]bool{}})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		valueDone(stack)
	}
}

// valueDone notes that a whole value has been read: in an object, a key comes next.
func valueDone(stack []*jsonFrame) {
	if len(stack) > 0 && stack[len(stack)-1].object {
		stack[len(stack)-1].expectKey = true
	}
}
