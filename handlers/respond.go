package handlers

import (
	"github.com/disgoorg/disgo/discord"
)

// noMentions keeps user and terraform text from pinging anyone.
func noMentions() *discord.AllowedMentions {
	return &discord.AllowedMentions{Parse: []discord.AllowedMentionType{}}
}

// ephemeral answers with a message only the invoker sees.
func ephemeral(text string) *discord.InteractionResponse {
	return &discord.InteractionResponse{
		Type: discord.InteractionResponseTypeCreateMessage,
		Data: discord.NewMessageCreate().WithContent(clip(text, maxContent)).WithEphemeral(true).WithAllowedMentions(noMentions()),
	}
}

// ephemeralEmbed answers with an embed only the invoker sees.
func ephemeralEmbed(e discord.Embed) *discord.InteractionResponse {
	return &discord.InteractionResponse{
		Type: discord.InteractionResponseTypeCreateMessage,
		Data: discord.NewMessageCreate().WithEmbeds(e).WithEphemeral(true).WithAllowedMentions(noMentions()),
	}
}

// deferred acknowledges now and edits the answer later; publicly only for
// the lobby.
func deferred(isEphemeral bool) *discord.InteractionResponse {
	return &discord.InteractionResponse{
		Type: discord.InteractionResponseTypeDeferredCreateMessage,
		Data: discord.NewMessageCreate().WithEphemeral(isEphemeral),
	}
}

// deferredUpdate acknowledges a click on the lobby; the lobby is edited
// through the click's token once the background work has something to show.
func deferredUpdate() *discord.InteractionResponse {
	return &discord.InteractionResponse{Type: discord.InteractionResponseTypeDeferredUpdateMessage}
}

// clip shortens s to n characters (runes), marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// noChoices is an empty autocomplete answer.
func noChoices() *discord.InteractionResponse {
	return &discord.InteractionResponse{Type: discord.InteractionResponseTypeAutocompleteResult,
		Data: discord.AutocompleteResult{Choices: []discord.AutocompleteChoice{}}}
}
