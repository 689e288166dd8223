package discordtest

// routeTable lists the endpoints the fake serves, with the OpenAPI path
// whose request schema applies and the path value that names the
// rate-limit resource (Discord's "top-level resource").
func (f *Fake) routeTable() []route {
	const (
		hookSpec = "/webhooks/{webhook_id}/{webhook_token}"
		msgSpec  = "/channels/{channel_id}/messages"
	)
	return []route{
		{method: "GET", path: "/webhooks/{application_id}/{token}/messages/@original", major: "token", handle: (*Fake).getOriginal},
		{method: "PATCH", path: "/webhooks/{application_id}/{token}/messages/@original", major: "token",
			specPath: hookSpec + "/messages/@original", handle: (*Fake).editOriginal},
		{method: "DELETE", path: "/webhooks/{application_id}/{token}/messages/@original", major: "token", handle: (*Fake).deleteOriginal},
		{method: "POST", path: "/webhooks/{application_id}/{token}", major: "token", specPath: hookSpec, handle: (*Fake).followup},
		{method: "PATCH", path: "/webhooks/{application_id}/{token}/messages/{message_id}", major: "token",
			specPath: hookSpec + "/messages/{message_id}", handle: (*Fake).editFollowup},
		{method: "POST", path: "/channels/{channel_id}/messages", major: "channel_id", bot: true, specPath: msgSpec, handle: (*Fake).botCreate},
		{method: "PATCH", path: "/channels/{channel_id}/messages/{message_id}", major: "channel_id", bot: true,
			specPath: msgSpec + "/{message_id}", handle: (*Fake).botEdit},
		{method: "POST", path: "/channels/{channel_id}/messages/{message_id}/threads", major: "channel_id", bot: true,
			specPath: msgSpec + "/{message_id}/threads", handle: (*Fake).startThread},
		{method: "PUT", path: "/applications/{application_id}/commands", major: "application_id", bot: true,
			specPath: "/applications/{application_id}/commands", handle: (*Fake).putCommands},
		{method: "PUT", path: "/applications/{application_id}/guilds/{guild_id}/commands", major: "guild_id", bot: true,
			specPath: "/applications/{application_id}/guilds/{guild_id}/commands", handle: (*Fake).putCommands},
	}
}
