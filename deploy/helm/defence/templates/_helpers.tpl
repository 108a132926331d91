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
Labels that select the API's pods; they must never change between upgrades. The migration Job's pods carry
a different component label, so neither the Service nor the PodDisruptionBudget ever selects them.
*/}}
{{- define "defence.selectorLabels" -}}
app.kubernetes.io/name: {{ include "defence.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: api
{{- end }}

{{/*
Common labels.
*/}}
{{- define "defence.labels" -}}
helm.sh/chart: {{ include "defence.chart" . }}
app.kubernetes.io/name: {{ include "defence.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
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
Which token validation the values configure: "entra" or "developmentKey". Fails rendering, saying what to set,
when both or neither are configured, or when the chosen one is incomplete: the API would refuse to start.
*/}}
{{- define "defence.authMode" -}}
{{- $entra := .Values.auth.entra }}
{{- $dev := .Values.auth.developmentKey }}
{{- $entraSet := or $entra.clientId $entra.existingSecret }}
{{- $devSet := or $dev.validIssuer $dev.validAudiences $dev.signingKey.existingSecret }}
{{- if and $entraSet $devSet }}
{{- fail "auth.entra and auth.developmentKey are both configured. The API validates tokens with Entra ID or with the development key, never both (it refuses to start with both): keep auth.entra for production and remove every auth.developmentKey value (validIssuer, validAudiences, signingKey.existingSecret), or the reverse." }}
{{- else if $entraSet }}
{{- if not (and $entra.instance $entra.tenantId) }}
{{- fail "auth.entra needs instance (https://login.microsoftonline.com/) and tenantId (organizations for the multi-tenant app)." }}
{{- end }}
{{- print "entra" }}
{{- else if $devSet }}
{{- if not (and $dev.validIssuer $dev.validAudiences $dev.signingKey.existingSecret) }}
{{- fail "auth.developmentKey needs validIssuer, at least one of validAudiences and signingKey.existingSecret (the Secret holding the base64 HS256 key); the API refuses to start, or refuses every token, without them." }}
{{- end }}
{{- print "developmentKey" }}
{{- else }}
{{- fail "No token validation is configured. Set auth.entra.clientId (with instance, tenantId and audience) for Entra ID, as in production, or auth.developmentKey (validIssuer, validAudiences, signingKey.existingSecret) for a trial. See deploy/helm/README.md." }}
{{- end }}
{{- end }}

{{/*
The environment shared by the API and the migration Job, in the double-underscore form of ASP.NET Core
configuration. Secrets are referenced (secretKeyRef), never inlined.
*/}}
{{- define "defence.env" -}}
{{- $mode := include "defence.authMode" . -}}
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
{{- if eq $mode "entra" }}
{{- with .Values.auth.entra }}
- name: AzureAd__Instance
  value: {{ .instance | quote }}
- name: AzureAd__TenantId
  value: {{ .tenantId | quote }}
{{- if .existingSecret }}
- name: AzureAd__ClientId
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .clientIdKey | quote }}
- name: AzureAd__Audience
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret | quote }}
      key: {{ .audienceKey | quote }}
      optional: true
{{- else }}
- name: AzureAd__ClientId
  value: {{ .clientId | quote }}
{{- if .audience }}
- name: AzureAd__Audience
  value: {{ .audience | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- else }}
{{- with .Values.auth.developmentKey }}
- name: Authentication__Schemes__Bearer__ValidIssuer
  value: {{ .validIssuer | quote }}
{{- range $i, $audience := .validAudiences }}
- name: Authentication__Schemes__Bearer__ValidAudiences__{{ $i }}
  value: {{ $audience | quote }}
{{- end }}
- name: Authentication__Schemes__Bearer__SigningKeys__0__Issuer
  value: {{ .validIssuer | quote }}
- name: Authentication__Schemes__Bearer__SigningKeys__0__Value
  valueFrom:
    secretKeyRef:
      name: {{ .signingKey.existingSecret | quote }}
      key: {{ required "auth.developmentKey.signingKey.secretKey is required" .signingKey.secretKey | quote }}
{{- end }}
{{- end }}
{{- $tenantIds := 0 }}
{{- range $key, $tenant := .Values.tenants }}
{{- if not (regexMatch "^[A-Za-z0-9_-]+$" $key) }}
{{- fail (printf "tenants.%s: a tenant key may contain only letters, digits, '-' and '_'" $key) }}
{{- end }}
{{- range $i, $tid := $tenant.entraTenantIds }}
{{- $tenantIds = add1 $tenantIds }}
- name: Tenants__{{ $key }}__EntraTenantIds__{{ $i }}
  value: {{ $tid | quote }}
{{- end }}
{{- with $tenant.database }}
- name: Tenants__{{ $key }}__ConnectionString
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "tenants.%s.database.existingSecret is required: the Secret holding that MDO's own connection string" $key) .existingSecret | quote }}
      key: {{ .secretKey | default "connection-string" | quote }}
{{- end }}
{{- end }}
{{- if eq (int $tenantIds) 0 }}
{{- fail "tenants: at least one MDO with entraTenantIds is required, e.g. tenants.mdu.entraTenantIds[0]=<tid>; the API refuses to start without one." }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
The pod's security context, volumes and the container's security context are the same for the API and the Job.
*/}}
{{- define "defence.tmpVolume" -}}
- name: tmp
  {{- if .Values.tmpSizeLimit }}
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- end }}
