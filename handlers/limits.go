package handlers

// Discord's limits the renderers stay within.
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
// https://discord.com/developers/docs/components/reference
const (
	maxContent          = 2000 // message content
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxEmbedFooter      = 2048
	maxEmbedTotal       = 6000 // all embeds of one message
	maxSelectOptions    = 25
	maxOptionLabel      = 100
	maxButtonLabel      = 80
	maxModalTitle       = 45
	maxModalInputs      = 5
	maxLabel            = 45
	maxChoices          = 25 // autocomplete
	maxChoiceName       = 100
	maxThreadName       = 100
)
