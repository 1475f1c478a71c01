package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/posts"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// Appointing and vacating need posts.write over the post's area (and,
// to appoint, over the volunteer's own area): posts.Appoint and Vacate
// decide. The answers name no one: ids and codes only.
func (a *API) postRoutes(mux *server.Mux) {
	p := posts.New(a.db)
	a.guard(mux, "POST /api/v1/posts", access.PostsWrite, func(w http.ResponseWriter, r *http.Request, actor access.Actor) {
		a.appoint(w, r, actor, p)
	})
	a.guard(mux, "POST /api/v1/posts/vacate", access.PostsWrite, func(w http.ResponseWriter, r *http.Request, actor access.Actor) {
		a.vacate(w, r, actor, p)
	})
}

type appointJSON struct {
	Drive   string `json:"drive"`
	Post    string `json:"post"`
	Area    string `json:"area"`
	Person  int64  `json:"person"`
	Replace bool   `json:"replace"`
}

type vacateJSON struct {
	Appointment int64 `json:"appointment"`
}

// appointmentJSON is a holding as the API answers it.
type appointmentJSON struct {
	ID          int64      `json:"id"`
	Drive       string     `json:"drive"`
	Post        string     `json:"post"`
	Area        string     `json:"area"`
	Person      int64      `json:"person"`
	AppointedAt time.Time  `json:"appointed_at"`
	VacatedAt   *time.Time `json:"vacated_at,omitempty"`
	VacatedWhy  string     `json:"vacated_why,omitempty"`
}

// maxPostBody bounds a posted appointment: a few short fields.
const maxPostBody = 4 << 10

// appoint answers POST /api/v1/posts: 201 with the appointment; a held
// post is a conflict unless "replace" is true.
func (a *API) appoint(w http.ResponseWriter, r *http.Request, actor access.Actor, p *posts.Posts) {
	var in appointJSON
	if err := readJSON(w, r, &in); err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	if in.Drive == "" || in.Post == "" || in.Area == "" || in.Person <= 0 {
		respond.Error(w, r, a.log, apperr.New(apperr.Invalid, `An appointment needs "drive", "post", "area" and "person".`))
		return
	}
	held, err := p.Appoint(r.Context(), actor, posts.Request{Drive: in.Drive, Post: in.Post, Area: strings.ToUpper(in.Area), PersonID: in.Person, Replace: in.Replace})
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	a.answerAppointment(w, r, http.StatusCreated, held)
}

// vacate answers POST /api/v1/posts/vacate: 200 with the ended holding.
func (a *API) vacate(w http.ResponseWriter, r *http.Request, actor access.Actor, p *posts.Posts) {
	var in vacateJSON
	if err := readJSON(w, r, &in); err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	if in.Appointment <= 0 {
		respond.Error(w, r, a.log, apperr.New(apperr.Invalid, `Name the "appointment" to vacate by its id.`))
		return
	}
	held, err := p.Vacate(r.Context(), actor, in.Appointment)
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	a.answerAppointment(w, r, http.StatusOK, held)
}

// readJSON reads a small JSON object into v; unknown fields are refused,
// so that a misspelt "replace" does not pass unnoticed.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxPostBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "The body must be a JSON object with the documented fields (docs/api.md): %s", jsonProblem(err))
	}
	if dec.More() {
		return apperr.New(apperr.Invalid, "The body must be one JSON object.")
	}
	return nil
}

func jsonProblem(err error) string {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return "it is too long"
	case errors.Is(err, io.EOF):
		return "it is empty"
	}
	return err.Error()
}

func (a *API) answerAppointment(w http.ResponseWriter, r *http.Request, status int, held store.Appointment) {
	out := appointmentJSON{ID: held.ID, Post: held.Post, Person: held.PersonID, AppointedAt: held.AppointedAt.UTC(), VacatedWhy: held.VacatedWhy}
	if !held.VacatedAt.IsZero() {
		at := held.VacatedAt.UTC()
		out.VacatedAt = &at
	}
	err := a.db.View(r.Context(), func(tx *store.Tx) error {
		d, err := store.DriveIn(r.Context(), tx, held.DriveID)
		if err != nil {
			return err
		}
		area, err := store.AreaByID(r.Context(), tx, held.AreaID)
		out.Drive, out.Area = d.Slug, area.Code
		return err
	})
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	respond.JSON(w, status, out)
}
