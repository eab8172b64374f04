{{- define "mdm-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "mdm-gateway.fullname" -}}
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

{{- define "mdm-gateway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "mdm-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "mdm-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mdm-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "mdm-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "mdm-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret the secret settings come from: the user's, or the chart's own. */}}
{{- define "mdm-gateway.secretName" -}}
{{- default (include "mdm-gateway.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* header mode behind ingress-nginx with client certificates: its header, unless one is named. */}}
{{- define "mdm-gateway.certHeader" -}}
{{- if .Values.config.certHeader }}
{{- .Values.config.certHeader }}
{{- else if and (eq .Values.config.deviceAuth "header") .Values.ingress.enabled .Values.ingress.clientCertificate.enabled }}
{{- "ssl-client-cert" }}
{{- end }}
{{- end }}
