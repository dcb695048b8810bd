{{/* The labels of the Deployment and its pods. */}}
{{- define "service.workloadLabels" -}}
app.kubernetes.io/name: {{ .Release.Name }}
app.kubernetes.io/part-of: {{ .Values.partOf }}
platform.example.com/layer: {{ .Values.layer }}
{{- end }}

{{/* The labels of the Services and the ConfigMap. */}}
{{- define "service.labels" -}}
app.kubernetes.io/name: {{ .Release.Name }}
app.kubernetes.io/part-of: {{ .Values.partOf }}
{{- end }}

{{/* The selector of every pod of the release. */}}
{{- define "service.selector" -}}
app.kubernetes.io/name: {{ .Release.Name }}
{{- end }}
