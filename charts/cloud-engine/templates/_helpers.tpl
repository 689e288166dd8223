{{/* Chart name, truncated to the 63 characters Kubernetes allows in a name. */}}
{{- define "cloud-engine.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release name, plus the chart name unless it is already in it. */}}
{{- define "cloud-engine.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cloud-engine.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "cloud-engine.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cloud-engine.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "cloud-engine.labels" -}}
helm.sh/chart: {{ include "cloud-engine.chart" . }}
{{ include "cloud-engine.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cloud-engine.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cloud-engine.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding the Discord credentials and DATABASE_URL. */}}
{{- define "cloud-engine.secretName" -}}
{{- default (include "cloud-engine.fullname" .) .Values.existingSecret }}
{{- end }}

{{/*
"true" when the release keeps its data in PostgreSQL, empty on SQLite. Every
choice that depends on the database (replicas, strategy, PVC) reads this one
helper.
*/}}
{{- define "cloud-engine.postgres" -}}
{{- if .Values.existingSecret }}
{{- if .Values.database.existingSecretHasUrl }}true{{ end }}
{{- else if .Values.database.url }}true{{ end }}
{{- end }}

{{/* True when /data is a PersistentVolumeClaim: SQLite with persistence on. */}}
{{- define "cloud-engine.pvc" -}}
{{- if and (not (include "cloud-engine.postgres" .)) .Values.persistence.enabled }}true{{ end }}
{{- end }}

{{/*
Seconds in a duration made of d, h, m, s and ms parts (5m, 90s, 1h30m), as
the engine reads SHUTDOWN_GRACE and INTERRUPT_GRACE. Called with a list of
the value's name (for the error) and the value.
Milliseconds round up so the result never undercounts.
*/}}
{{- define "cloud-engine.durationSeconds" -}}
{{- $name := index . 0 }}
{{- $d := toString (index . 1) }}
{{- if not (regexMatch "^(0|([0-9]+(d|h|ms|m|s))+)$" $d) }}
{{- fail (printf "%s %q is not a duration such as 90s, 5m or 1h30m" $name $d) }}
{{- end }}
{{- $total := 0 }}
{{- range regexFindAll "[0-9]+(d|h|ms|m|s)" $d -1 }}
{{- $num := regexFind "^[0-9]+" . }}
{{- $n := $num | int }}
{{- $unit := trimPrefix $num . }}
{{- if eq $unit "d" }}{{ $total = add $total (mul $n 86400) }}
{{- else if eq $unit "h" }}{{ $total = add $total (mul $n 3600) }}
{{- else if eq $unit "m" }}{{ $total = add $total (mul $n 60) }}
{{- else if eq $unit "s" }}{{ $total = add $total $n }}
{{- else }}{{ $total = add $total (div (add $n 999) 1000) }}
{{- end }}
{{- end }}
{{- $total }}
{{- end }}

{{/*
The pod's grace covers the engine's whole stop: SHUTDOWN_GRACE waiting for
running applies, then INTERRUPT_GRACE for an interrupted terraform to save
its state, then the margin to report the outcome.
*/}}
{{- define "cloud-engine.terminationGracePeriodSeconds" -}}
{{- $grace := include "cloud-engine.durationSeconds" (list "config.shutdownGrace" .Values.config.shutdownGrace) | int }}
{{- $interrupt := include "cloud-engine.durationSeconds" (list "config.interruptGrace" .Values.config.interruptGrace) | int }}
{{- $margin := .Values.terminationGraceMarginSeconds | int }}
{{- if lt $margin 1 }}
{{- fail "terminationGraceMarginSeconds must be at least 1: the pod's grace must outlast SHUTDOWN_GRACE plus INTERRUPT_GRACE" }}
{{- end }}
{{- add $grace $interrupt $margin }}
{{- end }}

{{/* Checks across values, run by the Deployment so that a bad release fails early. */}}
{{- define "cloud-engine.validate" -}}
{{- if and (not (include "cloud-engine.postgres" .)) (gt (int .Values.replicaCount) 1) }}
{{- fail (printf "replicaCount is %d but no PostgreSQL is configured: SQLite has a single writer, so run one replica or set database.url (or existingSecret with database.existingSecretHasUrl=true)" (int .Values.replicaCount)) }}
{{- end }}
{{- if lt (int .Values.replicaCount) 1 }}
{{- fail "replicaCount must be at least 1" }}
{{- end }}
{{- if and .Values.database.existingSecretHasUrl (not .Values.existingSecret) }}
{{- fail "database.existingSecretHasUrl=true needs existingSecret: the name of the Secret that holds DATABASE_URL" }}
{{- end }}
{{- if and .Values.database.url (not .Values.existingSecret) (not (regexMatch "^postgres(ql)?://" .Values.database.url)) }}
{{- fail "database.url must start with postgres:// or postgresql://" }}
{{- end }}
{{- end }}

{{/*
A list of strings joined with commas, for ALLOWED_GUILD_IDS and
ALLOWED_ACCOUNTS. Items must be quoted strings: YAML reads an unquoted
Discord id as a number and loses its last digits.
*/}}
{{- define "cloud-engine.commaList" -}}
{{- range .list }}
{{- if not (kindIs "string" .) }}
{{- fail (printf "%s: %v is not a string; quote every item, e.g. \"2200000000000000001\"" $.name .) }}
{{- end }}
{{- if or (contains "," .) (eq (trim .) "") }}
{{- fail (printf "%s: %q must be one non-empty item without commas" $.name .) }}
{{- end }}
{{- end }}
{{- join "," .list }}
{{- end }}

{{/*
The pods' affinity: the operator's, else with several replicas a
podAntiAffinity by node (preferred or required, per podAntiAffinity) so
that one node failing takes one replica, not all of them.
*/}}
{{- define "cloud-engine.affinity" -}}
{{- if .Values.affinity -}}
{{- toYaml .Values.affinity -}}
{{- else if and (include "cloud-engine.postgres" .) (gt (int .Values.replicaCount) 1) -}}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "cloud-engine.selectorLabels" . | fromYaml)) -}}
{{- if eq .Values.podAntiAffinity "preferred" -}}
{{- toYaml (dict "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" 100 "podAffinityTerm" $term)))) -}}
{{- else if eq .Values.podAntiAffinity "required" -}}
{{- toYaml (dict "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term))) -}}
{{- else if ne .Values.podAntiAffinity "none" -}}
{{- fail (printf "podAntiAffinity must be preferred, required or none, not %q" .Values.podAntiAffinity) -}}
{{- end -}}
{{- end -}}
{{- end }}

{{/*
kube-score checks the chart ignores on purpose, comma-separated:
- container-image-pull-policy: kube-score wants Always so that pull
  secrets are checked on every start; with immutable release tags
  IfNotPresent pulls the same image and spares the registry. Set
  image.pullPolicy=Always and the check applies again.
- deployment-strategy, deployment-replicas (SQLite only): SQLite has one
  writer, so one replica replaced with Recreate is intended; PostgreSQL
  releases get rolling updates and any number of replicas.
*/}}
{{- define "cloud-engine.kubeScoreIgnore" -}}
{{- $ignore := list -}}
{{- if ne .Values.image.pullPolicy "Always" -}}
{{- $ignore = append $ignore "container-image-pull-policy" -}}
{{- end -}}
{{- if not (include "cloud-engine.postgres" .) -}}
{{- $ignore = concat $ignore (list "deployment-strategy" "deployment-replicas") -}}
{{- end -}}
{{- join "," $ignore -}}
{{- end }}

{{/*
Terraform's CLI configuration (TF_CLI_CONFIG_FILE): "true" when the engine
gets one, from terraform.cliConfig, terraform.cliConfigSecret, or the
provider mirror's default.
*/}}
{{- define "cloud-engine.terraformCLI" -}}
{{- if or .Values.terraform.cliConfig .Values.terraform.cliConfigSecret .Values.terraform.providerMirror.enabled }}true{{ end }}
{{- end }}

{{/*
The CLI configuration the chart renders: the operator's, or, with only a
provider mirror, one that installs every provider from the mirror.
*/}}
{{- define "cloud-engine.terraformCLIConfig" -}}
{{- if .Values.terraform.cliConfig }}
{{- .Values.terraform.cliConfig }}
{{- else }}
provider_installation {
  filesystem_mirror {
    path = {{ .Values.terraform.providerMirror.mountPath | quote }}
  }
}
{{- end }}
{{- end }}

{{- define "cloud-engine.terraformCLIPath" -}}
/etc/cloud-engine/terraform/terraform.tfrc
{{- end }}

{{- define "cloud-engine.validateTerraform" -}}
{{- $m := .Values.terraform.providerMirror }}
{{- if $m.enabled }}
{{- $sources := 0 }}
{{- if $m.existingClaim }}{{ $sources = add1 $sources }}{{ end }}
{{- if $m.configMap }}{{ $sources = add1 $sources }}{{ end }}
{{- if $m.volume }}{{ $sources = add1 $sources }}{{ end }}
{{- if ne (int $sources) 1 }}
{{- fail "terraform.providerMirror.enabled needs exactly one of existingClaim, configMap or volume" }}
{{- end }}
{{- if not (hasPrefix "/" $m.mountPath) }}
{{- fail "terraform.providerMirror.mountPath must be an absolute path" }}
{{- end }}
{{- end }}
{{- end }}
