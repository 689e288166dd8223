package deploy

import (
	"fmt"
	"slices"
	"strings"
)

// The engine's cloud credentials belong to its operator (SPEC §2, "Whose
// cloud"): the operator names the servers the engine serves and the
// accounts its projects may deploy into.

// msgGuildNotEnabled answers every interaction from a server the operator
// did not list.
const msgGuildNotEnabled = "This server is not enabled for Cloud Engine."

// ErrGuildNotEnabled is the refusal of a server not in AllowedGuildIDs.
var ErrGuildNotEnabled = &Error{Code: EFORBIDDEN, Message: msgGuildNotEnabled}

// GuildEnabled reports whether the engine serves a guild: every guild when
// the operator listed none. It reads no data, so the edge can ask before
// anything is stored.
func (s *Service) GuildEnabled(guildID string) bool {
	return len(s.cfg.AllowedGuildIDs) == 0 || slices.Contains(s.cfg.AllowedGuildIDs, guildID)
}

// AllowedAccounts lists, per provider, the accounts projects may use.
type AllowedAccounts map[string][]string

// Allows reports whether account is listed for provider.
func (a AllowedAccounts) Allows(provider, account string) bool {
	return slices.Contains(a[provider], account)
}

// ParseAllowedAccounts reads comma-separated provider:account pairs. Only
// the first colon separates, because an aws role ARN holds colons itself.
// sandbox takes no account: it never reaches a cloud.
func ParseAllowedAccounts(s string) (AllowedAccounts, error) {
	out := AllowedAccounts{}
	for _, pair := range strings.Split(s, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		provider, account, ok := strings.Cut(pair, ":")
		provider, account = strings.TrimSpace(provider), strings.TrimSpace(account)
		switch {
		case !ok:
			return nil, fmt.Errorf("%q is not a provider:account pair", pair)
		case provider == ProviderSandbox:
			return nil, fmt.Errorf("%q: sandbox projects take no account", pair)
		case !slices.Contains(Providers(), provider):
			return nil, fmt.Errorf("%q: unknown provider %q (use gcp, aws or azure)", pair, provider)
		case account == "":
			return nil, fmt.Errorf("%q: the account is empty", pair)
		}
		if !out.Allows(provider, account) {
			out[provider] = append(out[provider], account)
		}
	}
	return out, nil
}

// allowAccount applies the operator's list to a project's account. No
// account means the credentials' defaults and is always allowed; sandbox
// reaches no cloud, so an account it carries from before is ignored.
func (s *Service) allowAccount(provider, account string) error {
	if account == "" || provider == ProviderSandbox {
		return nil
	}
	if !s.cfg.AllowedAccounts.Allows(provider, account) {
		return Errorf(EFORBIDDEN, "Account %s is not allowed for %s.", account, provider)
	}
	return nil
}

// checkNewAccount is allowAccount for a project being created, where a
// sandbox account is a mistake worth saying.
func (s *Service) checkNewAccount(provider, account string) error {
	if provider == ProviderSandbox && account != "" {
		return Errorf(EINVALID, "Sandbox projects take no account: leave account empty.")
	}
	return s.allowAccount(provider, account)
}
