package tf

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

// credentialVar matches the variables the providers read their credentials
// from; they are the only secrets terraform gets.
var credentialVar = regexp.MustCompile(`^(GOOGLE_[A-Z0-9_]+|AWS_[A-Z0-9_]+|ARM_[A-Z0-9_]+|GOOGLE_APPLICATION_CREDENTIALS)$`)

// passedVars are the operator's settings terraform and the providers need
// to reach a registry or a cloud (SPEC §3): the terraform CLI configuration
// (a provider mirror, provider_installation, credentials helpers), the
// proxy in both spellings Go's net/http reads, and the CA certificates.
var passedVars = map[string]bool{
	"PATH": true, "HOME": true, "TMPDIR": true,
	"TF_CLI_CONFIG_FILE": true,
	"HTTPS_PROXY":        true, "https_proxy": true,
	"HTTP_PROXY": true, "http_proxy": true,
	"NO_PROXY": true, "no_proxy": true,
	"SSL_CERT_FILE": true, "SSL_CERT_DIR": true,
}

// pathVars hold file or directory paths: terraform runs inside a working
// directory, so a relative path is made absolute against the engine's own.
var pathVars = map[string]bool{"TF_CLI_CONFIG_FILE": true, "SSL_CERT_FILE": true, "SSL_CERT_DIR": true}

// terraformEnv is the whole environment terraform gets (SetEnv replaces
// it): the automation switch, the operator's passed settings and the
// credential variables; nothing else of the engine's (the Discord token,
// DATABASE_URL) reaches it.
func (e *Engine) terraformEnv(environ []string) (map[string]string, error) {
	// An empty TF_CLI_CONFIG_FILE is what terraform does without one: it
	// reads $HOME/.terraformrc when that exists, and warns about nothing.
	env := map[string]string{"CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": ""}
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || !(passedVars[k] || credentialVar.MatchString(k)) {
			continue
		}
		if pathVars[k] && v != "" {
			abs, err := absPaths(v)
			if err != nil {
				return nil, fmt.Errorf("terraform environment: %s: %w", k, err)
			}
			v = abs
		}
		env[k] = v
	}
	if e.cfg.DatabaseURL != "" {
		env["PG_CONN_STR"] = e.cfg.DatabaseURL
	}
	return env, nil
}

// absPaths makes every element of a path list absolute (SSL_CERT_DIR may
// name several directories; the others name one).
func absPaths(list string) (string, error) {
	parts := filepath.SplitList(list)
	for i, p := range parts {
		if p == "" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		parts[i] = abs
	}
	return strings.Join(parts, string(filepath.ListSeparator)), nil
}
