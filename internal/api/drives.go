package api

import "net/http"

func (a *API) driveRoutes(mux *http.ServeMux) {}
