{{/*
Names and labels.
*/}}
{{- define "parley.fullname" -}}
{{- if contains "parley" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-parley" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "parley.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" -}}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "signaling") */}}
{{- define "parley.selectorLabels" -}}
app.kubernetes.io/name: parley
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* All labels of one component: (dict "root" $ "component" "signaling") */}}
{{- define "parley.labels" -}}
{{ include "parley.selectorLabels" . }}
app.kubernetes.io/part-of: parley
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ include "parley.chart" .root }}
{{- end -}}

{{/*
Labels of a Parley service pod: they let it reach the bundled Kafka and Redis, and the relay's
HTTP port, through their NetworkPolicies.
*/}}
{{- define "parley.clientLabels" -}}
parley.dev/service: "true"
parley.dev/kafka-client: "true"
parley.dev/redis-client: "true"
{{- end -}}

{{/* A Parley image: (dict "root" $ "image" .Values.signaling.image) */}}
{{- define "parley.image" -}}
{{- $registry := .root.Values.image.registry -}}
{{- $tag := default .root.Chart.AppVersion (default .root.Values.image.tag .image.tag) -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $registry) .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* A third-party image: (dict "repository" "apache/kafka" "tag" "4.1.0") */}}
{{- define "parley.thirdPartyImage" -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}

{{- define "parley.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- .Values.publicUrl -}}
{{- else -}}
{{- printf "https://%s" (required "ingress.host or publicUrl is required" .Values.ingress.host) -}}
{{- end -}}
{{- end -}}

{{- define "parley.kafkaBootstrap" -}}
{{- if .Values.kafka.bundled.enabled -}}
{{- printf "%s-kafka:%d" (include "parley.fullname" .) (int .Values.kafka.port) -}}
{{- else -}}
{{- required "kafka.bootstrapServers is required (or kafka.bundled.enabled)" .Values.kafka.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{- define "parley.redisUrl" -}}
{{- if .Values.redis.bundled.enabled -}}
{{- printf "redis://%s-redis:%d" (include "parley.fullname" .) (int .Values.redis.port) -}}
{{- else -}}
{{- required "redis.url is required (or redis.existingSecret.name, or redis.bundled.enabled)" .Values.redis.url -}}
{{- end -}}
{{- end -}}

{{/* True when the Redis URL comes from an existing Secret. */}}
{{- define "parley.redisFromSecret" -}}
{{- if and (not .Values.redis.bundled.enabled) .Values.redis.existingSecret.name -}}true{{- end -}}
{{- end -}}

{{/* Pod-level security context: (dict "user" 10001 "group" 10001 "fsGroup" 10001) */}}
{{- define "parley.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .user }}
runAsGroup: {{ .group }}
fsGroup: {{ .fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level security context: the same for every container of the chart. */}}
{{- define "parley.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
{{- end -}}

{{- define "parley.metricsAnnotations" -}}
{{- if .root.Values.metrics.podAnnotations -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /q/metrics
{{- end }}
{{- end -}}

{{/*
The four services, described once. Fields:
  key        the values key             name       the component and Kubernetes name suffix
  port       the HTTP port              prefix     the environment prefix of its own settings
  guest      needs the guest-token secret          seed  needs the CA seed
  metric     the custom HPA metric      target     the values key of its per-replica target
  paths      client paths the Ingress routes to it
*/}}
{{- define "parley.services" -}}
signaling:
  key: signaling
  name: signaling
  port: 8080
  prefix: PARLEY_SIGNALING
  guest: true
  seed: false
  metric: parley_call_connections
  target: connectionsPerReplica
  paths: [/api/v1/rooms, /api/v1/invites, /api/v1/client-config, /ws/v1, /join, /room]
presence:
  key: presence
  name: presence
  port: 8081
  prefix: PARLEY_PRESENCE
  guest: true
  seed: false
  metric: parley_presence_heartbeats_per_second
  target: heartbeatsPerSecondPerReplica
  paths: [/api/v1/presence, /ws/v1/presence]
key-distribution:
  key: keyDistribution
  name: key-distribution
  port: 8082
  prefix: PARLEY_KEY_DISTRIBUTION
  guest: true
  seed: true
  metric: parley_kd_group_streams
  target: groupStreamsPerReplica
  paths: [/api/v1/authority, /api/v1/devices, /api/v1/groups]
media-relay:
  key: mediaRelay
  name: media-relay
  port: 8083
  prefix: PARLEY_MEDIA_RELAY
  guest: false
  seed: false
  metric: ""
  target: ""
  paths: []
{{- end -}}

{{/* One service's descriptor: (dict "root" $ "service" "signaling") -> YAML */}}
{{- define "parley.service" -}}
{{- index (include "parley.services" .root | fromYaml) .service | toYaml -}}
{{- end -}}

{{/*
A service's application.properties: the connections every service needs, its own settings,
then the operator's `config` entries. Mounted at /deployments/config, where Quarkus reads it
(ordinal 260: above the built-in defaults, below environment variables).
*/}}
{{- define "parley.applicationProperties" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $values := index $root.Values $svc.key -}}
# {{ $svc.name }}: rendered by the Parley chart. Secrets come from environment variables.
kafka.bootstrap.servers={{ include "parley.kafkaBootstrap" $root }}
{{- if not (include "parley.redisFromSecret" $root) }}
quarkus.redis.hosts={{ include "parley.redisUrl" $root }}
{{- end }}
{{- with $root.Values.keycloak }}
quarkus.oidc.auth-server-url={{ default .issuerUrl .internalUrl }}
{{- if .internalUrl }}
quarkus.oidc.token.issuer={{ .issuerUrl }}
{{- end }}
quarkus.oidc.client-id={{ .servicesClientId }}
quarkus.oidc.token.audience={{ .audience }}
{{- if .caBundle.existingSecret }}
quarkus.oidc.tls.tls-configuration-name=keycloak
quarkus.tls.keycloak.trust-store.pem.certs=/etc/parley/keycloak-ca/{{ .caBundle.key }}
{{- end }}
{{- end }}
{{- if eq $svc.name "signaling" }}
parley.signaling.public-url={{ include "parley.publicUrl" $root }}
parley.signaling.rooms.creator-role={{ $root.Values.keycloak.roomCreatorRole }}
# The web app's configuration (GET /api/v1/client-config): one origin, routed by the Ingress.
parley.signaling.web.issuer={{ $root.Values.keycloak.issuerUrl }}
parley.signaling.web.client-id={{ $root.Values.keycloak.webClientId }}
parley.signaling.web.key-distribution-url={{ include "parley.publicUrl" $root }}
parley.signaling.web.presence-url={{ include "parley.publicUrl" $root }}
# Media offers go to the relay's control API with signaling's service-account token.
parley.signaling.media.relay-url=http://{{ include "parley.fullname" $root }}-media-relay:8083
{{- end }}
{{- if or (eq $svc.name "signaling") (eq $svc.name "media-relay") }}
# The service account's token: signaling's for the relays' control API, a relay's for the other
# relays of a cascaded room (their link API).
quarkus.oidc-client.auth-server-url={{ default $root.Values.keycloak.issuerUrl $root.Values.keycloak.internalUrl }}
quarkus.oidc-client.client-id={{ $root.Values.keycloak.servicesClientId }}
{{- end }}
{{- if eq $svc.name "media-relay" }}
parley.media-relay.control-client={{ $root.Values.keycloak.servicesClientId }}
parley.media-relay.media-port={{ $values.mediaPort }}
# Clients reach the media port on the node's address; signaling reaches the control API on the
# pod's; the relay registers for placement under its pod's name (env from the downward API).
parley.media-relay.candidate-address=${NODE_IP}
parley.media-relay.control-url=http://${POD_IP}:8083
parley.media-relay.relay-id=${POD_NAME}
{{- if $values.region }}
parley.media-relay.region={{ $values.region }}
{{- end }}
{{- end }}
{{- range $k, $v := $values.config }}
{{ $k }}={{ $v }}
{{- end }}
{{- end -}}

{{/* The ConfigMap of one service: (dict "root" $ "svc" <descriptor>) */}}
{{- define "parley.service.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "parley.fullname" .root }}-{{ .svc.name }}
  labels:
    {{- include "parley.labels" (dict "root" .root "component" .svc.name) | nindent 4 }}
data:
  application.properties: |
    {{- include "parley.applicationProperties" . | nindent 4 }}
{{- end -}}

{{/* Environment of one service container: secrets, JVM options, downward API, extra env. */}}
{{- define "parley.service.env" -}}
{{- $root := .root -}}
{{- $svc := .svc -}}
{{- $values := index $root.Values $svc.key -}}
{{- $secret := $root.Values.secrets.existingSecret -}}
- name: JAVA_TOOL_OPTIONS
  value: {{ $root.Values.javaOptions | quote }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- if $svc.guest }}
- name: {{ $svc.prefix }}_GUESTS_TOKEN_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $root.Values.secrets.guestTokenSecretKey }}
{{- end }}
{{- if $svc.seed }}
- name: {{ $svc.prefix }}_AUTHORITY_SEED
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $root.Values.secrets.authoritySeedKey }}
{{- end }}
{{- if include "parley.redisFromSecret" $root }}
- name: QUARKUS_REDIS_HOSTS
  valueFrom:
    secretKeyRef:
      name: {{ $root.Values.redis.existingSecret.name }}
      key: {{ $root.Values.redis.existingSecret.key }}
{{- end }}
{{- with $root.Values.keycloak.clientSecret }}
{{- if .existingSecret }}
- name: QUARKUS_OIDC_CREDENTIALS_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .key }}
{{- if or (eq $svc.name "signaling") (eq $svc.name "media-relay") }}
- name: QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .key }}
{{- end }}
{{- end }}
{{- end }}
{{- with $values.env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Volumes every service pod has: a writable /tmp, its configuration, Keycloak's CA. */}}
{{- define "parley.service.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
- name: config
  configMap:
    name: {{ include "parley.fullname" .root }}-{{ .svc.name }}
{{- if .root.Values.keycloak.caBundle.existingSecret }}
- name: keycloak-ca
  secret:
    secretName: {{ .root.Values.keycloak.caBundle.existingSecret }}
    items:
      - key: {{ .root.Values.keycloak.caBundle.key }}
        path: {{ .root.Values.keycloak.caBundle.key }}
{{- end }}
{{- end -}}

{{- define "parley.service.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: config
  mountPath: /deployments/config
  readOnly: true
{{- if .root.Values.keycloak.caBundle.existingSecret }}
- name: keycloak-ca
  mountPath: /etc/parley/keycloak-ca
  readOnly: true
{{- end }}
{{- end -}}

{{/* Health probes on Quarkus' /q/health endpoints: (dict "port" "http") */}}
{{- define "parley.service.probes" -}}
startupProbe:
  httpGet:
    path: /q/health/started
    port: http
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /q/health/live
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{/* Annotations that roll a service's pods when its configuration changes. */}}
{{- define "parley.service.checksums" -}}
checksum/config: {{ include "parley.service.configmap" . | sha256sum }}
{{- if .root.Values.secrets.create }}
checksum/secrets: {{ include "parley.secret" .root | sha256sum }}
{{- end }}
{{- end -}}

{{/* The Secret a trial install may create (secrets.create). */}}
{{- define "parley.secret" -}}
apiVersion: v1
kind: Secret
metadata:
  name: {{ .Values.secrets.existingSecret }}
  labels:
    {{- include "parley.labels" (dict "root" . "component" "common") | nindent 4 }}
  annotations:
    # Losing these would end guest sessions and replace the CA: keep them on uninstall.
    helm.sh/resource-policy: keep
type: Opaque
data:
  {{ .Values.secrets.guestTokenSecretKey }}: {{ required "secrets.guestTokenSecret is required when secrets.create" .Values.secrets.guestTokenSecret | b64enc }}
  {{ .Values.secrets.authoritySeedKey }}: {{ required "secrets.authoritySeed is required when secrets.create" .Values.secrets.authoritySeed | b64enc }}
{{- end -}}
