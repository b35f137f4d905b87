{{/*
Names, labels and the fixed process conventions of the repository.
Component helpers take a context built by each template:
  (dict "root" $ "name" <component> "c" <definition from bth.components> "w" <its values>)
*/}}

{{- define "bth.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every resource name; 40 characters leave room for "-procurement-worker". */}}
{{- define "bth.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "bth.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The processes. The module names and ports are conventions of the repository (services/*),
not settings: change them there first.
  role: api (domain gRPC API), gateway (public HTTP API), worker (no inbound API)
  values: the key under .Values.<domain> that configures the workload
  singleton: at most one pod at any time (no surge on rollout)
*/}}
{{- define "bth.components" -}}
registry:
  domain: registry
  role: api
  values: api
  module: services.registry
  grpcPort: 50051
  metricsPort: 9101
registry-worker:
  domain: registry
  role: worker
  values: worker
  module: services.registry.worker
  metricsPort: 9111
procurement:
  domain: procurement
  role: api
  values: api
  module: services.procurement
  grpcPort: 50052
  metricsPort: 9102
procurement-worker:
  domain: procurement
  role: worker
  values: worker
  module: services.procurement.worker
  metricsPort: 9112
incubation:
  domain: incubation
  role: api
  values: api
  module: services.incubation
  grpcPort: 50053
  metricsPort: 9103
incubation-worker:
  domain: incubation
  role: worker
  values: worker
  module: services.incubation.worker
  metricsPort: 9113
gateway:
  domain: gateway
  role: gateway
  values: api
  module: services.gateway
  httpPort: 8000
  metricsPort: 9100
gateway-delivery:
  domain: gateway
  role: worker
  values: delivery
  module: services.gateway.delivery
  metricsPort: 9110
  singleton: true
{{- end -}}

{{/* The gRPC ports of the domain APIs (for network policies). */}}
{{- define "bth.grpcPorts" -}}
{{- $ports := list -}}
{{- range $name, $c := include "bth.components" . | fromYaml -}}
{{- if $c.grpcPort -}}{{- $ports = append $ports $c.grpcPort -}}{{- end -}}
{{- end -}}
{{- toJson $ports -}}
{{- end -}}

{{- define "bth.componentName" -}}
{{- printf "%s-%s" (include "bth.fullname" .root) .name -}}
{{- end -}}

{{- define "bth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bth.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "bth.commonLabels" -}}
helm.sh/chart: {{ include "bth.chart" . }}
app.kubernetes.io/name: {{ include "bth.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: bth-platform
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels of a component's objects and pods: common + component + role/domain. */}}
{{- define "bth.labels" -}}
{{ include "bth.commonLabels" .root }}
app.kubernetes.io/component: {{ .name }}
bth.io/domain: {{ .c.domain }}
bth.io/role: {{ .c.role }}
{{- if or (eq .c.role "gateway") (has .c.domain (list "registry" "procurement" "incubation")) }}
bth.io/grpc-client: "true"
{{- end }}
{{- end -}}

{{- define "bth.image" -}}
{{- $img := .Values.image -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $img.repository $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $img.repository (default .Chart.AppVersion $img.tag) -}}
{{- end -}}
{{- end -}}

{{/*
gRPC target of a domain API: its headless Service through the DNS resolver, so a client
sees every ready pod and spreads calls over them (round_robin). Args: root, component, port.
*/}}
{{- define "bth.addr" -}}
{{- $root := index . 0 -}}
{{- printf "dns:///%s-%s-headless.%s.svc.%s:%v" (include "bth.fullname" $root) (index . 1) $root.Release.Namespace $root.Values.clusterDomain (index . 2) -}}
{{- end -}}

{{/*
Non-secret settings shared by every process (the common ConfigMap, and the env of the
admin hook Job, which runs before the ConfigMap exists). A flat string map.
*/}}
{{- define "bth.commonConfig" -}}
{{- $k := .Values.kafka -}}
KAFKA_BOOTSTRAP_SERVERS: {{ $k.bootstrapServers | quote }}
KAFKA_SECURITY_PROTOCOL: {{ $k.securityProtocol | quote }}
{{- if hasPrefix "SASL" $k.securityProtocol }}
KAFKA_SASL_MECHANISM: {{ $k.sasl.mechanism | quote }}
KAFKA_SASL_USERNAME: {{ $k.sasl.username | quote }}
{{- end }}
{{- if and (hasSuffix "SSL" $k.securityProtocol) $k.tls.caSecret.existingSecret }}
KAFKA_SSL_CAFILE: {{ printf "/etc/bth/kafka-ca/%s" $k.tls.caSecret.key | quote }}
{{- end }}
KAFKA_ENABLE_IDEMPOTENCE: {{ $k.enableIdempotence | toString | quote }}
KAFKA_TOPIC_PARTITIONS: {{ $k.topics.partitions | int64 | toString | quote }}
KAFKA_REPLICATION_FACTOR: {{ $k.topics.replicationFactor | int64 | toString | quote }}
KAFKA_TOPIC_RETENTION_MS: {{ $k.topics.retentionMs | int64 | toString | quote }}
MONGO_SERIALIZE_WRITES: {{ .Values.mongo.serializeWrites | toString | quote }}
LOG_LEVEL: {{ .Values.logging.level | quote }}
LOG_FORMAT: {{ .Values.logging.format | quote }}
REGISTRY_ADDR: {{ include "bth.addr" (list . "registry" 50051) | quote }}
PROCUREMENT_ADDR: {{ include "bth.addr" (list . "procurement" 50052) | quote }}
INCUBATION_ADDR: {{ include "bth.addr" (list . "incubation" 50053) | quote }}
{{- end -}}

{{/* Non-secret settings of the gateway processes (API and delivery worker). */}}
{{- define "bth.gatewayConfig" -}}
{{- $g := .Values.gateway -}}
HTTP_HOST: "0.0.0.0"
HTTP_PORT: "8000"
FORWARDED_ALLOW_IPS: {{ $g.forwardedAllowIps | quote }}
{{- with $g.publicUrl }}
PUBLIC_URL: {{ . | quote }}
{{- end }}
JWT_ALGORITHM: {{ $g.auth.jwtAlgorithm | quote }}
{{- with $g.auth.jwtKeyId }}
JWT_KEY_ID: {{ . | quote }}
{{- end }}
JWT_ISSUER: {{ $g.auth.jwtIssuer | quote }}
JWT_AUDIENCE: {{ $g.auth.jwtAudience | quote }}
{{- with $g.auth.oidcJwksUrl }}
OIDC_JWKS_URL: {{ . | quote }}
{{- end }}
{{- with $g.auth.oidcIssuer }}
OIDC_ISSUER: {{ . | quote }}
{{- end }}
{{- with $g.auth.oidcAudience }}
OIDC_AUDIENCE: {{ . | quote }}
{{- end }}
{{- if $g.bootstrapOperator.passwordSecret.existingSecret }}
BOOTSTRAP_OPERATOR_USERNAME: {{ $g.bootstrapOperator.username | quote }}
{{- end }}
WEBHOOK_RETRY_HORIZON_SECONDS: {{ $g.webhooks.retryHorizonSeconds | int64 | toString | quote }}
WEBHOOK_TIMEOUT_SECONDS: {{ $g.webhooks.timeoutSeconds | toString | quote }}
WEBHOOK_ALLOW_PRIVATE_NETWORKS: {{ $g.webhooks.allowPrivateNetworks | toString | quote }}
{{- end -}}

{{/* An env var read from an existing Secret. Args: name, {existingSecret, key}. */}}
{{- define "bth.secretEnv" -}}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ (index . 1).existingSecret }}
      key: {{ (index . 1).key }}
{{- end -}}

{{/* Volumes every pod gets: a writable /tmp, and the Kafka / MongoDB CAs when configured. */}}
{{- define "bth.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.podDefaults.tmpSizeLimit }}
{{- if and (hasSuffix "SSL" .Values.kafka.securityProtocol) .Values.kafka.tls.caSecret.existingSecret }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret.existingSecret }}
    defaultMode: 0444
    items:
      - key: {{ .Values.kafka.tls.caSecret.key }}
        path: {{ .Values.kafka.tls.caSecret.key }}
{{- end }}
{{- if .Values.mongo.tls.caSecret.existingSecret }}
- name: mongo-ca
  secret:
    secretName: {{ .Values.mongo.tls.caSecret.existingSecret }}
    defaultMode: 0444
    items:
      - key: {{ .Values.mongo.tls.caSecret.key }}
        path: {{ .Values.mongo.tls.caSecret.key }}
{{- end }}
{{- end -}}

{{- define "bth.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if and (hasSuffix "SSL" .Values.kafka.securityProtocol) .Values.kafka.tls.caSecret.existingSecret }}
- name: kafka-ca
  mountPath: /etc/bth/kafka-ca
  readOnly: true
{{- end }}
{{- if .Values.mongo.tls.caSecret.existingSecret }}
- name: mongo-ca
  mountPath: /etc/bth/mongo-ca
  readOnly: true
{{- end }}
{{- end -}}

{{/*
Restricted Pod Security Standard. Only the IDs are configurable (securityContext.*); a null
ID is left out, so a platform that assigns IDs (OpenShift restricted-v2) picks it.
*/}}
{{- define "bth.ids" -}}
{{- $sc := .Values.securityContext | default dict -}}
{{- with $sc.runAsUser }}
runAsUser: {{ int64 . }}
{{- end }}
{{- with $sc.runAsGroup }}
runAsGroup: {{ int64 . }}
{{- end }}
{{- end -}}

{{- define "bth.podSecurityContext" -}}
runAsNonRoot: true
{{- include "bth.ids" . }}
{{- with (.Values.securityContext | default dict).fsGroup }}
fsGroup: {{ int64 . }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "bth.containerSecurityContext" -}}
runAsNonRoot: true
{{- include "bth.ids" . }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* NetworkPolicy egress rules every process needs: DNS, Kafka, MongoDB. */}}
{{- define "bth.baseEgress" -}}
{{- $np := .Values.networkPolicy -}}
- to:
    {{- if hasKey $np.dns "namespaceSelector" }}
    - namespaceSelector: {{- toYaml $np.dns.namespaceSelector | nindent 8 }}
      {{- with $np.dns.podSelector }}
      podSelector: {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    {{- range $np.dns.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range $np.dns.ports }}
    - {protocol: UDP, port: {{ . }}}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
{{- range $dep := list "kafka" "mongo" }}
{{- $d := index $np $dep }}
{{- if or $d.cidrs $d.extraPeers }}
- to:
    {{- range $d.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
    {{- with $d.extraPeers }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
    {{- range $d.ports }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* HTTPS egress (OIDC JWKS for the gateway, partner webhooks for the delivery worker). */}}
{{- define "bth.httpsEgress" -}}
{{- $h := .Values.networkPolicy.https -}}
{{- if $h.enabled -}}
- to:
    {{- range $h.cidrs }}
    - ipBlock:
        cidr: {{ . }}
        {{- with $h.except }}
        except: {{- toYaml . | nindent 10 }}
        {{- end }}
    {{- end }}
  ports:
    {{- range $h.ports }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
{{- end }}
{{- end -}}
