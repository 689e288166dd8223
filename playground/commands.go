package playground

import (
	"encoding/json"
	"fmt"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/handlers"
	"github.com/cloudengine/cloud-engine/tf"
)

// registered is what the service registers: its commands, with the
// catalog's resource types as choices.
func registered() []discord.ApplicationCommandCreate {
	return handlers.Commands(tf.NewCatalog().ResourceTypes())
}

// commandNames lists the slash commands in registration order.
func commandNames() []string {
	cmds := registered()
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i] = c.CommandName()
	}
	return out
}

// commandsJSON is the command definitions as Discord would hand them to a
// client: the registered bodies plus their ids, so the page builds its
// command box (options, choices, required and autocomplete flags) from the
// same source the service registers.
func commandsJSON() ([]byte, error) {
	cmds := registered()
	out := make([]map[string]any, 0, len(cmds))
	for _, c := range cmds {
		raw, err := json.Marshal(c)
		if err != nil {
			return nil, fmt.Errorf("encode command %s: %w", c.CommandName(), err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("decode command %s: %w", c.CommandName(), err)
		}
		m["id"] = commandID(c.CommandName())
		out = append(out, m)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode commands: %w", err)
	}
	return b, nil
}
