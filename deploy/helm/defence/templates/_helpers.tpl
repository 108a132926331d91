{{/*
The chart name, or nameOverride.
*/}}
{{- define "defence.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
A fully qualified name for the release's objects: fullnameOverride, else the release name,
followed by the chart name unless the release name already contains it. 63 characters at most.
*/}}
{{- define "defence.fullname" -}}
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

{{/*
Chart name and version, for the helm.sh/chart label.
*/}}
{{- define "defence.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels that select the pods; they must never change between upgrades.
*/}}
{{- define "defence.selectorLabels" -}}
app.kubernetes.io/name: {{ include "defence.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Common labels.
*/}}
{{- define "defence.labels" -}}
helm.sh/chart: {{ include "defence.chart" . }}
{{ include "defence.selectorLabels" . }}
app.kubernetes.io/version: {{ (default .Chart.AppVersion .Values.image.tag) | toString | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
The image reference; the tag defaults to the chart's appVersion.
*/}}
{{- define "defence.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag | toString) }}
{{- end }}

{{/*
The API's environment variables, in the double-underscore form of ASP.NET Core configuration.
Secrets are referenced (secretKeyRef), never inlined.
*/}}
{{- define "defence.env" -}}
- name: ASPNETCORE_ENVIRONMENT
  value: {{ .Values.environment | quote }}
- name: ASPNETCORE_HTTP_PORTS
  value: {{ .Values.containerPort | quote }}
{{- with .Values.database }}
- name: ConnectionStrings__Marten
  valueFrom:
    secretKeyRef:
      name: {{ required "database.existingSecret is required: the Secret holding the PostgreSQL connection string" .existingSecret | quote }}
      key: {{ required "database.secretKey is required" .secretKey | quote }}
{{- end }}
{{- with .Values.auth.bearer }}
{{- if .validIssuer }}
- name: Authentication__Schemes__Bearer__ValidIssuer
  value: {{ .validIssuer | quote }}
{{- end }}
{{- range $i, $audience := .validAudiences }}
- name: Authentication__Schemes__Bearer__ValidAudiences__{{ $i }}
  value: {{ $audience | quote }}
{{- end }}
{{- if .signingKey.existingSecret }}
{{- $keyIssuer := default .validIssuer .signingKey.issuer }}
{{- if $keyIssuer }}
- name: Authentication__Schemes__Bearer__SigningKeys__0__Issuer
  value: {{ $keyIssuer | quote }}
{{- end }}
- name: Authentication__Schemes__Bearer__SigningKeys__0__Value
  valueFrom:
    secretKeyRef:
      name: {{ .signingKey.existingSecret | quote }}
      key: {{ required "auth.bearer.signingKey.secretKey is required when auth.bearer.signingKey.existingSecret is set" .signingKey.secretKey | quote }}
{{- end }}
{{- end }}
{{- with .Values.auth.azureAd }}
{{- if .clientId }}
- name: AzureAd__Instance
  value: {{ .instance | quote }}
- name: AzureAd__ClientId
  value: {{ .clientId | quote }}
{{- if .tenantId }}
- name: AzureAd__TenantId
  value: {{ .tenantId | quote }}
{{- end }}
{{- if .audience }}
- name: AzureAd__Audience
  value: {{ .audience | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- range $key, $tenant := .Values.tenants }}
{{- if not (regexMatch "^[A-Za-z0-9_-]+$" $key) }}
{{- fail (printf "tenants.%s: a tenant key may contain only letters, digits, '-' and '_'" $key) }}
{{- end }}
{{- range $i, $tid := $tenant.entraTenantIds }}
- name: Tenants__{{ $key }}__EntraTenantIds__{{ $i }}
  value: {{ $tid | quote }}
{{- end }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Settings the API refuses to start without, as a list of messages (empty when all are set).
*/}}
{{- define "defence.missingSettings" -}}
{{- $missing := list }}
{{- if not .Values.auth.bearer.validIssuer }}
{{- $missing = append $missing "auth.bearer.validIssuer (Authentication__Schemes__Bearer__ValidIssuer)" }}
{{- end }}
{{- if not .Values.auth.bearer.signingKey.existingSecret }}
{{- $missing = append $missing "auth.bearer.signingKey.existingSecret (Authentication__Schemes__Bearer__SigningKeys__0__Value)" }}
{{- end }}
{{- $tenantIds := 0 }}
{{- range $key, $tenant := .Values.tenants }}
{{- $tenantIds = add $tenantIds (len ($tenant.entraTenantIds | default list)) }}
{{- end }}
{{- if eq (int $tenantIds) 0 }}
{{- $missing = append $missing "tenants.<key>.entraTenantIds (Tenants__<key>__EntraTenantIds__0)" }}
{{- end }}
{{- toJson $missing }}
{{- end }}
