package drive

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// examplePosts are the reference drive's posts, as a drive file gives them.
func examplePosts() []any {
	return []any{
		map[string]any{"code": "pc-sm-coordinator", "title": "PC social media coordinator", "title_local": "लोकसभा सोशल मीडिया समन्वयक", "area_kind": "pc"},
		map[string]any{"code": "ac-sm-convenor", "title": "AC social media convenor", "area_kind": "ac"},
		map[string]any{"code": "booth-digital-volunteer", "title": "Booth digital volunteer", "title_local": "बूथ डिजिटल कार्यकर्ता", "area_kind": "booth", "many": true},
	}
}

// post is the i-th post of a drive file being edited.
func post(m map[string]any, i int) map[string]any { return m["posts"].([]any)[i].(map[string]any) }

// A drive file's posts are read as written: found by code, titled in the
// person's language (the English title where no Hindi one is given), one
// holder unless many.
func TestParsePosts(t *testing.T) {
	f, err := Parse(exampleWith(t, func(m map[string]any) { m["posts"] = examplePosts() }))
	if err != nil {
		t.Fatal(err)
	}
	want := []Post{
		{Code: "pc-sm-coordinator", Title: "PC social media coordinator", TitleLocal: "लोकसभा सोशल मीडिया समन्वयक", AreaKind: "pc"},
		{Code: "ac-sm-convenor", Title: "AC social media convenor", AreaKind: "ac"},
		{Code: "booth-digital-volunteer", Title: "Booth digital volunteer", TitleLocal: "बूथ डिजिटल कार्यकर्ता", AreaKind: "booth", Many: true},
	}
	if !reflect.DeepEqual(f.Posts, want) {
		t.Fatalf("posts %+v, want %+v", f.Posts, want)
	}
	p, ok := f.Post("booth-digital-volunteer")
	if !ok || !p.Many || p.TitleIn("hi") != "बूथ डिजिटल कार्यकर्ता" || p.TitleIn("en") != "Booth digital volunteer" {
		t.Errorf("Post(booth-digital-volunteer) = %+v, %v", p, ok)
	}
	if p, _ := f.Post("ac-sm-convenor"); p.Many || p.TitleIn("hi") != "AC social media convenor" {
		t.Errorf("a post with no Hindi title: %+v, in Hindi %q", p, p.TitleIn("hi"))
	}
	if _, ok := f.Post("state-president"); ok {
		t.Error("a post the file does not give is found")
	}
	if f, err := Parse(readTestdata(t, "example_drive.json")); err != nil || f.Posts != nil {
		t.Errorf("a file without posts: %+v, %v", f, err)
	}
}

// What is wrong in a post is refused, each problem named with where it is;
// a field a post does not have is refused as the file's own are.
func TestParseRefusesPosts(t *testing.T) {
	cases := []struct {
		name string
		edit func(m map[string]any)
		want string
	}{
		{"code with capitals", func(m map[string]any) { post(m, 0)["code"] = "PC-Coordinator" }, `posts[0].code: "PC-Coordinator" must be`},
		{"code of one letter", func(m map[string]any) { post(m, 1)["code"] = "a" }, `posts[1].code: "a" must be`},
		{"code with a space", func(m map[string]any) { post(m, 1)["code"] = "ac convenor" }, `posts[1].code: "ac convenor" must be`},
		{"code starting with a dash", func(m map[string]any) { post(m, 1)["code"] = "-ac" }, `posts[1].code: "-ac" must be`},
		{"no code", func(m map[string]any) { delete(post(m, 2), "code") }, `posts[2].code: "" must be`},
		{"code given twice", func(m map[string]any) { post(m, 2)["code"] = "pc-sm-coordinator" }, `posts[2].code: "pc-sm-coordinator" is given twice`},
		{"area kind in capitals", func(m map[string]any) { post(m, 1)["area_kind"] = "AC" }, `posts[1].area_kind: "AC" is not a kind of area`},
		{"area kind with a space", func(m map[string]any) { post(m, 1)["area_kind"] = "assembly constituency" }, `posts[1].area_kind: "assembly constituency" is not`},
		{"no area kind", func(m map[string]any) { delete(post(m, 0), "area_kind") }, `posts[0].area_kind: "" is not a kind of area`},
		{"blank title", func(m map[string]any) { post(m, 0)["title"] = " " }, "posts[0].title:"},
		{"no title", func(m map[string]any) { delete(post(m, 0), "title") }, "posts[0].title:"},
		{"title too long", func(m map[string]any) { post(m, 0)["title"] = strings.Repeat("a", 101) }, "posts[0].title:"},
		{"Hindi title on two lines", func(m map[string]any) { post(m, 2)["title_local"] = "बूथ\nकार्यकर्ता" }, "posts[2].title_local:"},
		{"blank Hindi title", func(m map[string]any) { post(m, 2)["title_local"] = " " }, "posts[2].title_local:"},
		{"unknown field in a post", func(m map[string]any) { post(m, 1)["holder"] = "Asha" }, "posts[1].holder: unknown field"},
		{"field in the wrong case", func(m map[string]any) { post(m, 1)["Many"] = true }, "posts[1].Many: unknown field"},
		{"a secret in a post", func(m map[string]any) { post(m, 0)["api_key"] = "x" }, "posts[0].api_key: a secret must not be written"},
		{"many as text", func(m map[string]any) { post(m, 2)["many"] = "yes" }, "many: expected"},
		{"posts not a list", func(m map[string]any) { m["posts"] = map[string]any{"code": "x"} }, "posts: expected a list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectProblem(t, exampleWith(t, func(m map[string]any) { m["posts"] = examplePosts(); c.edit(m) }), c.want)
		})
	}
}

// Posts survive the canonical export and the store's copy: Marshal then
// Parse, and Open of the stored JSON, give the same posts.
func TestPostsRoundTrip(t *testing.T) {
	f, err := Parse(exampleWith(t, func(m map[string]any) { m["posts"] = examplePosts() }))
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"posts": [`) || !strings.Contains(string(out), `"many": true`) {
		t.Errorf("Marshal leaves the posts out:\n%s", out)
	}
	g, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g.Posts, f.Posts) || !reflect.DeepEqual(g, f) {
		t.Errorf("Parse(Marshal(f)) posts %+v, want %+v", g.Posts, f.Posts)
	}
	o, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(o.Posts, f.Posts) {
		t.Errorf("Open(Marshal(f)) posts %+v, want %+v", o.Posts, f.Posts)
	}
}

// The posts the docs show (drives.md, volunteers.md) are a drive file's
// field as it parses: the reference drive's three, so the example cannot
// rot.
func TestDocsShowPostsThatParse(t *testing.T) {
	want := []Post{
		{Code: "pc-sm-coordinator", Title: "PC social media coordinator", TitleLocal: "लोकसभा सोशल मीडिया समन्वयक", AreaKind: "pc"},
		{Code: "ac-sm-convenor", Title: "AC social media convenor", TitleLocal: "विधानसभा सोशल मीडिया संयोजक", AreaKind: "ac"},
		{Code: "booth-digital-volunteer", Title: "Booth digital volunteer", TitleLocal: "बूथ डिजिटल कार्यकर्ता", AreaKind: "booth", Many: true},
	}
	for _, name := range []string{"drives.md", "volunteers.md"} {
		doc, err := os.ReadFile("../../docs/" + name)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, b := range jsonBlocks(string(doc)) {
			list, ok := strings.CutPrefix(b, `"posts": `)
			if !ok {
				continue
			}
			found++
			var posts any
			if err := json.Unmarshal([]byte(list), &posts); err != nil {
				t.Fatalf("docs/%s: the posts example is not JSON: %v", name, err)
			}
			f, err := Parse(exampleWith(t, func(m map[string]any) { m["posts"] = posts }))
			if err != nil {
				t.Fatalf("docs/%s: the posts example is refused: %v", name, err)
			}
			if !reflect.DeepEqual(f.Posts, want) {
				t.Errorf("docs/%s: the posts example gives %+v, want the reference drive's %+v", name, f.Posts, want)
			}
		}
		if found != 1 {
			t.Errorf("docs/%s shows %d posts examples, want 1", name, found)
		}
	}
}
