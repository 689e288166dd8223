package handlers

import "github.com/cloudengine/cloud-engine/discordhttp"

// expired reports whether Discord refused an interaction token.
func expired(err error) bool { return discordhttp.IsTokenExpired(err) }
