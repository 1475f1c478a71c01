package console

import (
	"net/http"
	"net/url"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store"
)

// asker is who asks for a console page: the signed-in person as an actor
// with the roles they hold now, and the page's language.
type asker struct {
	actor access.Actor
	lang  string
}

// guard runs h for a signed-in person holding need. Without a session the
// browser goes to sign-in and comes back; a person holding no role, or
// no role carrying need, gets a 403 page in their language. Roles are read
// for every request (access.ForPerson), never kept. Where in their scope
// they may use need is h's to check.
func (c *Console) guard(need access.Permission, h func(http.ResponseWriter, *http.Request, asker)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := pageLang(w, r, c.secure)
		person, ok, err := c.sessions.Person(r)
		if err != nil {
			c.fail(w, r, asker{lang: lang}, err)
			return
		}
		htmx := r.Header.Get("HX-Request") == "true"
		if !ok {
			back := "/signin?" + url.Values{"next": {comeBack(r)}, "lang": {lang}}.Encode()
			if htmx { // a page refreshing itself goes to sign-in whole, not into its own box
				w.Header().Set("HX-Redirect", back)
				w.WriteHeader(http.StatusNoContent)
				return
			}
			http.Redirect(w, r, back, http.StatusSeeOther)
			return
		}
		actor, err := access.ForPerson(r.Context(), c.db, person)
		a := asker{actor: actor, lang: lang}
		refused := !actor.Staff() || !actor.Can(need)
		if err == nil && refused && htmx {
			// A role taken away while the page is open: the whole page
			// reloads to say so, rather than keep showing what it showed.
			w.Header().Set("HX-Refresh", "true")
		}
		switch {
		case err != nil:
			c.fail(w, r, a, err)
		case !actor.Staff():
			c.message(w, r, a, http.StatusForbidden, "norole")
		case !actor.Can(need):
			c.message(w, r, a, http.StatusForbidden, "forbidden")
		default:
			h(w, r, a)
		}
	})
}

// comeBack is where sign-in returns to: the page asked for (a posted
// form's page, whose form is to be sent again by hand). A search's text
// and cursor never go along: they are not to be in an address.
func comeBack(r *http.Request) string {
	if r.Method != http.MethodGet {
		return postedFrom(r.URL.Path)
	}
	q := r.URL.Query()
	if !q.Has("q") && !q.Has("cursor") {
		return r.URL.RequestURI()
	}
	q.Del("q")
	q.Del("cursor")
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

// messagePage is a page that only says something: refused, not found,
// something went wrong.
type messagePage struct {
	shell
	Kind string
	Body string // the message, its numbers in place
}

func (c *Console) message(w http.ResponseWriter, r *http.Request, a asker, status int, kind string, pairs ...string) {
	p := messagePage{shell: c.newShell(r, a, "", "msg."+kind+".title"), Kind: kind}
	p.Body = p.T("msg."+kind+".body", pairs...)
	c.render(w, r, status, "message", "", p)
}

// fail answers an error with a page: the domain's refusals as such, the
// rest logged once and shown as a plain "something went wrong".
func (c *Console) fail(w http.ResponseWriter, r *http.Request, a asker, err error) {
	status := respond.Status(err)
	kind, ok := failKinds[status]
	if !ok {
		c.log.ErrorContext(r.Context(), "console page failed", "path_pattern", r.Pattern, "err", err)
		status, kind = http.StatusInternalServerError, "error"
	}
	c.message(w, r, a, status, kind)
}

// failKinds are the refusals a page says as such, by status.
var failKinds = map[int]string{http.StatusNotFound: "notfound", http.StatusForbidden: "forbidden", http.StatusBadRequest: "invalid"}

// personName is the signed-in person's name for the shell ("" if it
// cannot be read: the page still works).
func (c *Console) personName(r *http.Request, id int64) string {
	var name string
	err := c.db.View(r.Context(), func(tx *store.Tx) error {
		p, err := store.GetPerson(r.Context(), tx, id)
		name = p.Name
		return err
	})
	if err != nil {
		c.log.WarnContext(r.Context(), "console: the signed-in person's name", "err", err)
	}
	return name
}
