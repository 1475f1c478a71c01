package drive

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

var (
	fileKeys    = []string{"version", "slug", "name", "name_local", "sms_name", "language", "starts_on", "ends_on", "timezone", "root_area", "channels", "targets", "posts", "groups_per_volunteer"}
	channelKeys = []string{"kind", "number", "secret_env", "secret_file", "off"}
	postKeys    = []string{"code", "title", "title_local", "area_kind", "many"}
)

// checkKeys reports every unknown key of the file and its channels. It returns
// false when the data is not a JSON object at all, as nothing more can be said.
func checkKeys(data []byte, p *problems) bool {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		p.add("%s", describeJSONError(data, err))
		return false
	}
	if top == nil {
		p.add("the drive file must be a JSON object, got null")
		return false
	}
	checkObjectKeys(top, "", fileKeys, p)
	for _, key := range duplicateKeys(data) {
		p.add("%s: given more than once in one object", key)
	}
	var channels []map[string]json.RawMessage
	if json.Unmarshal(top["channels"], &channels) == nil {
		for i, ch := range channels {
			checkObjectKeys(ch, fmt.Sprintf("channels[%d].", i), channelKeys, p)
		}
	}
	var posts []map[string]json.RawMessage
	if json.Unmarshal(top["posts"], &posts) == nil {
		for i, post := range posts {
			checkObjectKeys(post, fmt.Sprintf("posts[%d].", i), postKeys, p)
		}
	}
	return true
}

func checkObjectKeys(obj map[string]json.RawMessage, where string, known []string, p *problems) {
	for _, key := range sortedKeys(obj) {
		switch {
		case slices.Contains(known, key):
		case looksLikeSecret(key):
			p.add("%s%s: a secret must not be written in a drive file; name an environment variable with secret_env or a file with secret_file", where, key)
		default:
			p.add("%s%s: unknown field (known: %s)", where, key, strings.Join(known, ", "))
		}
	}
}

// looksLikeSecret catches the names people give a secret they paste in, so
// the refusal says why instead of a bare "unknown field".
func looksLikeSecret(key string) bool {
	k := strings.ToLower(key)
	for _, word := range []string{"secret", "password", "token", "passwd", "apikey", "api_key", "credential"} {
		if strings.Contains(k, word) {
			return true
		}
	}
	return false
}

func sortedKeys(obj map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// describeJSONError turns decoder errors into messages that point at a line
// and a field, since a drive file is edited by hand.
func describeJSONError(data []byte, err error) string {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		line, col := position(data, syntax.Offset)
		return fmt.Sprintf("not valid JSON at line %d, column %d: %v", line, col, syntax)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field == "" {
			return fmt.Sprintf("the drive file must be a JSON object, got %s", typ.Value)
		}
		return fmt.Sprintf("%s: expected %s, got %s", typ.Field, describeType(typ.Type.String()), typ.Value)
	}
	return "not valid JSON: " + err.Error()
}

func describeType(goType string) string {
	switch goType {
	case "int":
		return "a whole number"
	case "string":
		return "text"
	}
	if strings.HasPrefix(goType, "[]") {
		return "a list"
	}
	return "an object"
}

// position gives the 1-based line and column of the byte the decoder stopped
// at: Offset counts the bytes read, that one included.
func position(data []byte, offset int64) (line, col int) {
	before := data[:min(max(int(offset)-1, 0), len(data))]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col
}
