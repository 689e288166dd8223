package handlers

import (
	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/omit"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Commands returns the slash commands of SPEC §2 as registered
// with Discord: guild-only, the five admin commands behind
// ADMINISTRATOR by default (re-checked on the server every time). types
// are the catalog's resource types, offered as /cloud-set-quota's choices.
func Commands(types []deploy.ResourceType) []discord.ApplicationCommandCreate {
	admin := omit.NewPtr(discord.PermissionAdministrator)
	guildOnly := func(c discord.SlashCommandCreate) discord.SlashCommandCreate {
		c.Contexts = []discord.InteractionContextType{discord.InteractionContextTypeGuild}
		c.IntegrationTypes = []discord.ApplicationIntegrationType{discord.ApplicationIntegrationTypeGuildInstall}
		return c
	}
	adminOnly := func(c discord.SlashCommandCreate) discord.SlashCommandCreate {
		c = guildOnly(c)
		c.DefaultMemberPermissions = admin
		return c
	}
	cmds := []discord.SlashCommandCreate{
		guildOnly(discord.SlashCommandCreate{Name: cmdDeploy, Description: "Open a deployment session (lobby) for a project",
			Options: []discord.ApplicationCommandOption{projectOpt(true), providerOpt(false), regionOpt(), ttlOpt("Time to live, e.g. 2h or 7d, counted from the end of the apply (default: the project's)")}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdDestroy, Description: "Tear down a deployment, with a plan and approval",
			Options: []discord.ApplicationCommandOption{sessionOpt("The deployment (session id) to destroy")}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdUpdate, Description: "Change a live deployment, with a plan and approval",
			Options: []discord.ApplicationCommandOption{sessionOpt("The deployment (session id) to change")}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdHistory, Description: "List a deployment's revisions and roll back to one",
			Options: []discord.ApplicationCommandOption{sessionOpt("The deployment (session id)")}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdDrift, Description: "Check a project's live deployments for changes made outside Cloud Engine",
			Options: []discord.ApplicationCommandOption{projectOpt(true)}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdList, Description: "List your sessions",
			Options: []discord.ApplicationCommandOption{stateOpt(), pageOpt()}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdQuota, Description: "Show a project's quotas and their use",
			Options: []discord.ApplicationCommandOption{projectOpt(true)}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdProjects, Description: "List the projects you may use",
			Options: []discord.ApplicationCommandOption{pageOpt()}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdCancel, Description: "Cancel one of your sessions",
			Options: []discord.ApplicationCommandOption{sessionOpt("The session to cancel")}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdGrant, Description: "Grant a member a level on a project",
			Options: []discord.ApplicationCommandOption{userOpt(), projectOpt(true), levelOpt(),
				discord.ApplicationCommandOptionString{Name: "duration", Description: "How long, e.g. 30s, 90m, 2h, 7d (default: until revoked)", MaxLength: intPtr(20)}}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdRevoke, Description: "Revoke a member's grant on a project",
			Options: []discord.ApplicationCommandOption{userOpt(), projectOpt(true)}}),
		adminOnly(discord.SlashCommandCreate{Name: cmdCreateProject, Description: "Create a project",
			Options: []discord.ApplicationCommandOption{
				discord.ApplicationCommandOptionString{Name: "project_id", Description: "Lowercase letters, digits and hyphens, 2–30 characters", Required: true, MinLength: intPtr(2), MaxLength: intPtr(30)},
				providerOpt(true),
				discord.ApplicationCommandOptionString{Name: "description", Description: "What the project is for", Required: true, MaxLength: intPtr(200)},
				discord.ApplicationCommandOptionString{Name: "region", Description: "Default region (default: the provider's)", MaxLength: intPtr(40)},
				discord.ApplicationCommandOptionInt{Name: "approvals", Description: "Approvals required from other members (default 0)", MinValue: intPtr(0), MaxValue: intPtr(10)},
				discord.ApplicationCommandOptionString{Name: "account", Description: "The gcp project id, the aws IAM role ARN to assume, or the azure resource group to deploy into", MaxLength: intPtr(100)},
				ttlOpt("Default and longest time to live of its deployments, e.g. 7d (default: none)"),
			}}),
		adminOnly(discord.SlashCommandCreate{Name: cmdSetQuota, Description: "Limit how many resources of a type a project may have",
			Options: []discord.ApplicationCommandOption{projectOpt(true), resourceTypeOpt(types),
				discord.ApplicationCommandOptionInt{Name: "limit", Description: "The most resources of this type", Required: true, MinValue: intPtr(0), MaxValue: intPtr(10000)}}}),
		adminOnly(discord.SlashCommandCreate{Name: cmdAdminList, Description: "List every session of this server",
			Options: []discord.ApplicationCommandOption{projectOpt(false), stateOpt(), pageOpt()}}),
		adminOnly(discord.SlashCommandCreate{Name: cmdAdminCancel, Description: "Cancel any session",
			Options: []discord.ApplicationCommandOption{sessionOpt("The session to cancel")}}),
		adminOnly(discord.SlashCommandCreate{Name: cmdStats, Description: "Sessions by state, success rate and durations",
			Options: []discord.ApplicationCommandOption{projectOpt(false)}}),
		guildOnly(discord.SlashCommandCreate{Name: cmdExtend, Description: "Move a deployment's expiry later",
			Options: []discord.ApplicationCommandOption{sessionOpt("The deployment (session id) to keep longer"),
				discord.ApplicationCommandOptionString{Name: "duration", Description: "How much later, e.g. 30m, 2h, 7d", Required: true, MaxLength: intPtr(20)}}}),
	}
	out := make([]discord.ApplicationCommandCreate, len(cmds))
	for i, c := range cmds {
		out[i] = c
	}
	return out
}

func intPtr(n int) *int { return &n }

func projectOpt(required bool) discord.ApplicationCommandOption {
	return discord.ApplicationCommandOptionString{Name: "project", Description: "Project id", Required: required, Autocomplete: true, MaxLength: intPtr(30)}
}

func sessionOpt(desc string) discord.ApplicationCommandOption {
	return discord.ApplicationCommandOptionString{Name: "session_id", Description: desc, Required: true, Autocomplete: true, MaxLength: intPtr(8)}
}

func ttlOpt(desc string) discord.ApplicationCommandOption {
	return discord.ApplicationCommandOptionString{Name: "ttl", Description: desc, MaxLength: intPtr(20)}
}

func regionOpt() discord.ApplicationCommandOption {
	return discord.ApplicationCommandOptionString{Name: "region", Description: "Region (default: the project's)", MaxLength: intPtr(40)}
}

func pageOpt() discord.ApplicationCommandOption {
	return discord.ApplicationCommandOptionInt{Name: "page", Description: "Page (10 items a page)", MinValue: intPtr(1), MaxValue: intPtr(1000)}
}

func userOpt() discord.ApplicationCommandOption {
	return discord.ApplicationCommandOptionUser{Name: "user", Description: "The member", Required: true}
}

// choices offers each value under its own name.
func choices[T ~string](values []T) []discord.ApplicationCommandOptionChoiceString {
	cs := make([]discord.ApplicationCommandOptionChoiceString, len(values))
	for i, v := range values {
		cs[i] = discord.ApplicationCommandOptionChoiceString{Name: string(v), Value: string(v)}
	}
	return cs
}

func providerOpt(required bool) discord.ApplicationCommandOption {
	return discord.ApplicationCommandOptionString{Name: "provider", Description: "Cloud provider", Required: required, Choices: choices(deploy.Providers())}
}

func levelOpt() discord.ApplicationCommandOption {
	levels := []string{deploy.LevelRead.String(), deploy.LevelDeploy.String(), deploy.LevelAdmin.String()}
	return discord.ApplicationCommandOptionString{Name: "level", Description: "Permission level", Required: true, Choices: choices(levels)}
}

func resourceTypeOpt(types []deploy.ResourceType) discord.ApplicationCommandOption {
	ids := make([]string, len(types))
	for i, t := range types {
		ids[i] = t.ID
	}
	return discord.ApplicationCommandOptionString{Name: "resource_type", Description: "Resource type", Required: true, Choices: choices(ids)}
}

func stateOpt() discord.ApplicationCommandOption {
	return discord.ApplicationCommandOptionString{Name: "state", Description: "Only sessions in this state", Choices: choices(deploy.AllStates())}
}
