package discordtest

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits Discord documents but the OpenAPI file does not express.
// https://discord.com/developers/docs/resources/message#create-message
// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
// https://discord.com/developers/docs/components/reference
const (
	maxContent          = 2000
	maxEmbeds           = 10
	maxEmbedTotal       = 6000
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxFieldName        = 256
	maxFieldValue       = 1024
	maxFooterText       = 2048
	maxAuthorName       = 256
	maxActionRows       = 5
	maxButtonsPerRow    = 5
	maxCustomID         = 100
	maxButtonLabel      = 80
	maxSelectOptions    = 25
	maxComponentsV2     = 40
	maxModalTitle       = 45
	maxModalComponents  = 5

	flagEphemeral    = 1 << 6
	flagComponentsV2 = 1 << 15

	componentActionRow = 1
	componentButton    = 2
	buttonStyleLink    = 5
)

func runes(v any) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(strings.TrimSpace(s))
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func asList(v any) []any         { l, _ := v.([]any); return l }

func intOf(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// checkMessage enforces content, embed and component limits on a message
// body (create or edit). v2 says whether the resulting message has the
// IS_COMPONENTS_V2 flag.
func checkMessage(body map[string]any, v2 bool) error {
	var errs []error
	if n := utf8.RuneCountInString(stringOf(body["content"])); n > maxContent {
		errs = append(errs, fmt.Errorf("content: %d characters, at most %d", n, maxContent))
	}
	errs = append(errs, checkEmbeds(asList(body["embeds"])))
	if v2 {
		if stringOf(body["content"]) != "" || len(asList(body["embeds"])) > 0 {
			errs = append(errs, errors.New("content and embeds cannot be used with IS_COMPONENTS_V2"))
		}
		if n := countComponents(asList(body["components"])); n > maxComponentsV2 {
			errs = append(errs, fmt.Errorf("components: %d in total, at most %d", n, maxComponentsV2))
		}
	} else {
		errs = append(errs, checkRows(asList(body["components"])))
	}
	errs = append(errs, checkCustomIDs(asList(body["components"])))
	return errors.Join(errs...)
}

func stringOf(v any) string { s, _ := v.(string); return s }

func checkEmbeds(embeds []any) error {
	if len(embeds) > maxEmbeds {
		return fmt.Errorf("embeds: %d, at most %d", len(embeds), maxEmbeds)
	}
	var errs []error
	total := 0
	field := func(where string, v any, limit int) {
		n := runes(v)
		total += n
		if n > limit {
			errs = append(errs, fmt.Errorf("%s: %d characters, at most %d", where, n, limit))
		}
	}
	for i, e := range embeds {
		em := asMap(e)
		p := fmt.Sprintf("embeds[%d]", i)
		field(p+".title", em["title"], maxEmbedTitle)
		field(p+".description", em["description"], maxEmbedDescription)
		field(p+".footer.text", asMap(em["footer"])["text"], maxFooterText)
		field(p+".author.name", asMap(em["author"])["name"], maxAuthorName)
		fields := asList(em["fields"])
		if len(fields) > maxEmbedFields {
			errs = append(errs, fmt.Errorf("%s.fields: %d, at most %d", p, len(fields), maxEmbedFields))
		}
		for j, f := range fields {
			field(fmt.Sprintf("%s.fields[%d].name", p, j), asMap(f)["name"], maxFieldName)
			field(fmt.Sprintf("%s.fields[%d].value", p, j), asMap(f)["value"], maxFieldValue)
		}
	}
	if total > maxEmbedTotal {
		errs = append(errs, fmt.Errorf("embeds: %d characters in total, at most %d", total, maxEmbedTotal))
	}
	return errors.Join(errs...)
}

// checkRows applies the legacy layout: rows of ≤5 buttons or one select.
func checkRows(rows []any) error {
	if len(rows) > maxActionRows {
		return fmt.Errorf("components: %d action rows, at most %d", len(rows), maxActionRows)
	}
	var errs []error
	for i, r := range rows {
		row := asMap(r)
		if intOf(row["type"]) != componentActionRow {
			errs = append(errs, fmt.Errorf("components[%d]: type %d at the top level, want an action row", i, intOf(row["type"])))
			continue
		}
		children := asList(row["components"])
		buttons := 0
		for j, c := range children {
			comp := asMap(c)
			p := fmt.Sprintf("components[%d].components[%d]", i, j)
			if intOf(comp["type"]) == componentButton {
				buttons++
				errs = append(errs, checkButton(p, comp))
				continue
			}
			if n := len(asList(comp["options"])); n > maxSelectOptions {
				errs = append(errs, fmt.Errorf("%s: %d options, at most %d", p, n, maxSelectOptions))
			}
		}
		switch {
		case buttons > maxButtonsPerRow:
			errs = append(errs, fmt.Errorf("components[%d]: %d buttons, at most %d", i, buttons, maxButtonsPerRow))
		case buttons != len(children) && len(children) != 1:
			errs = append(errs, fmt.Errorf("components[%d]: a select must be alone in its row", i))
		}
	}
	return errors.Join(errs...)
}

func checkButton(where string, b map[string]any) error {
	if n := runes(b["label"]); n > maxButtonLabel {
		return fmt.Errorf("%s.label: %d characters, at most %d", where, n, maxButtonLabel)
	}
	_, hasID := b["custom_id"]
	if link := intOf(b["style"]) == buttonStyleLink; link == hasID {
		return fmt.Errorf("%s: link buttons take a url and no custom_id, others a custom_id", where)
	}
	return nil
}

// checkCustomIDs requires 1–100 characters and uniqueness in the message,
// nested components included.
func checkCustomIDs(components []any) error {
	seen := map[string]bool{}
	var errs []error
	var walk func([]any)
	walk = func(list []any) {
		for _, c := range list {
			comp := asMap(c)
			if id, ok := comp["custom_id"].(string); ok {
				if n := utf8.RuneCountInString(id); n < 1 || n > maxCustomID {
					errs = append(errs, fmt.Errorf("custom_id %q: %d characters, want 1 to %d", id, n, maxCustomID))
				}
				if seen[id] {
					errs = append(errs, fmt.Errorf("custom_id %q is used twice", id))
				}
				seen[id] = true
			}
			walk(asList(comp["components"]))
			if child := asMap(comp["component"]); child != nil {
				walk([]any{child})
			}
			if acc := asMap(comp["accessory"]); acc != nil {
				walk([]any{acc})
			}
		}
	}
	walk(components)
	return errors.Join(errs...)
}

func countComponents(list []any) int {
	n := 0
	for _, c := range list {
		comp := asMap(c)
		n++
		n += countComponents(asList(comp["components"]))
		if child := asMap(comp["component"]); child != nil {
			n += countComponents([]any{child})
		}
		if acc := asMap(comp["accessory"]); acc != nil {
			n++
		}
	}
	return n
}

// checkModal applies the documented modal limits (the spec allows 40
// components; the docs say 1 to 5).
func checkModal(data map[string]any) error {
	var errs []error
	if n := runes(data["title"]); n > maxModalTitle {
		errs = append(errs, fmt.Errorf("title: %d characters, at most %d", n, maxModalTitle))
	}
	if n := len(asList(data["components"])); n < 1 || n > maxModalComponents {
		errs = append(errs, fmt.Errorf("components: %d, want 1 to %d", n, maxModalComponents))
	}
	errs = append(errs, checkCustomIDs(asList(data["components"])))
	return errors.Join(errs...)
}

// hasMessageContent is Create Message's "at least one of" rule.
func hasMessageContent(body map[string]any, files int) bool {
	if files > 0 || stringOf(body["content"]) != "" {
		return true
	}
	for _, k := range []string{"embeds", "components", "sticker_ids"} {
		if len(asList(body[k])) > 0 {
			return true
		}
	}
	return body["poll"] != nil
}
