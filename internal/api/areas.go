package api

import "net/http"

func (a *API) areaRoutes(mux *http.ServeMux) {}
