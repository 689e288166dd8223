package charttest

import (
	"errors"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ServiceMonitor holds the fields of monitoring.coreos.com/v1 ServiceMonitor
// that the chart may set; strict decoding rejects anything else.
type ServiceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector          metav1.LabelSelector `json:"selector"`
		NamespaceSelector struct {
			MatchNames []string `json:"matchNames,omitempty"`
			Any        bool     `json:"any,omitempty"`
		} `json:"namespaceSelector"`
		Endpoints []struct {
			Port          string `json:"port"`
			Path          string `json:"path"`
			Interval      string `json:"interval,omitempty"`
			ScrapeTimeout string `json:"scrapeTimeout,omitempty"`
		} `json:"endpoints"`
	} `json:"spec"`
}

// PrometheusRule holds the fields of monitoring.coreos.com/v1 PrometheusRule.
type PrometheusRule struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Groups []RuleGroup `json:"groups"`
	} `json:"spec"`
}

// RuleGroup is one group of a PrometheusRule.
type RuleGroup struct {
	Name     string `json:"name"`
	Interval string `json:"interval,omitempty"`
	Rules    []Rule `json:"rules"`
}

// Rule is an alerting or recording rule.
type Rule struct {
	Alert       string            `json:"alert,omitempty"`
	Record      string            `json:"record,omitempty"`
	Expr        string            `json:"expr"`
	For         string            `json:"for,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// validate checks what the Prometheus Operator's CRD requires of a rule set.
func (pr *PrometheusRule) validate() error {
	var errs []error
	if pr.Kind != "PrometheusRule" || pr.APIVersion != monitoringAPIVersion || pr.Name == "" {
		errs = append(errs, fmt.Errorf("PrometheusRule header: %s %s %q", pr.APIVersion, pr.Kind, pr.Name))
	}
	if len(pr.Spec.Groups) == 0 {
		errs = append(errs, errors.New("PrometheusRule has no groups"))
	}
	for _, g := range pr.Spec.Groups {
		if g.Name == "" || len(g.Rules) == 0 {
			errs = append(errs, fmt.Errorf("group %q needs a name and rules", g.Name))
		}
		for _, r := range g.Rules {
			if (r.Alert == "") == (r.Record == "") || strings.TrimSpace(r.Expr) == "" {
				errs = append(errs, fmt.Errorf("rule %q%q needs exactly one of alert/record and an expr", r.Alert, r.Record))
			}
			if err := balanced(r.Expr); err != nil {
				errs = append(errs, fmt.Errorf("rule %q: %w", r.Alert, err))
			}
		}
	}
	return errors.Join(errs...)
}

// alert returns the alerting rule with that name.
func (pr *PrometheusRule) alert(name string) (Rule, bool) {
	for _, g := range pr.Spec.Groups {
		for _, r := range g.Rules {
			if r.Alert == name {
				return r, true
			}
		}
	}
	return Rule{}, false
}

// balanced catches the PromQL slips a template makes most easily: an
// unclosed bracket or quote.
func balanced(expr string) error {
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	var stack []rune
	inQuote := false
	for _, r := range expr {
		switch {
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == '(' || r == '[' || r == '{':
			stack = append(stack, r)
		case pairs[r] != 0:
			if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
				return fmt.Errorf("unbalanced %q in %s", r, expr)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if inQuote || len(stack) > 0 {
		return fmt.Errorf("unclosed quote or bracket in %s", expr)
	}
	return nil
}
