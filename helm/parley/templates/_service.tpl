{{/*
The resources of one stateless HTTP service (signaling, presence, key distribution).
Each takes (dict "root" $ "service" "<name>"); the files in each service's folder include them.
*/}}

{{- define "parley.http.configmap" -}}
{{- $svc := include "parley.service" . | fromYaml -}}
{{ include "parley.service.configmap" (dict "root" .root "svc" $svc) }}
{{- end -}}

{{- define "parley.http.deployment" -}}
{{- $root := .root -}}
{{- $svc := include "parley.service" . | fromYaml -}}
{{- $values := index $root.Values $svc.key -}}
{{- $ctx := dict "root" $root "svc" $svc -}}
{{- $labels := dict "root" $root "component" $svc.name -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "parley.fullname" $root }}-{{ $svc.name }}
  labels:
    {{- include "parley.labels" $labels | nindent 4 }}
spec:
  {{- if not $values.autoscaling.enabled }}
  replicas: {{ $values.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "parley.selectorLabels" $labels | nindent 6 }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      # A new replica is ready before an old one stops: capacity never drops during an upgrade.
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        {{- include "parley.labels" $labels | nindent 8 }}
        {{- include "parley.clientLabels" $root | nindent 8 }}
      annotations:
        {{- include "parley.service.checksums" $ctx | nindent 8 }}
        {{- include "parley.metricsAnnotations" (dict "root" $root "port" $svc.port) | nindent 8 }}
        {{- with $values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "parley.fullname" $root }}
      automountServiceAccountToken: false
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "parley.podSecurityContext" (dict "user" $root.Values.securityContext.runAsUser "group" $root.Values.securityContext.runAsGroup "fsGroup" $root.Values.securityContext.fsGroup) | nindent 8 }}
      terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds }}
      containers:
        - name: {{ $svc.name }}
          image: {{ include "parley.image" (dict "root" $root "image" $values.image) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          workingDir: /deployments
          ports:
            - name: http
              containerPort: {{ $svc.port }}
              protocol: TCP
          env:
            {{- include "parley.service.env" $ctx | nindent 12 }}
          {{- include "parley.service.probes" $ctx | nindent 10 }}
          lifecycle:
            preStop:
              # Let the ingress controller and kube-proxy drop this pod before it stops.
              sleep:
                seconds: {{ $values.preStopSleepSeconds }}
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          securityContext:
            {{- include "parley.containerSecurityContext" $root | nindent 12 }}
          volumeMounts:
            {{- include "parley.service.volumeMounts" $ctx | nindent 12 }}
      volumes:
        {{- include "parley.service.volumes" $ctx | nindent 8 }}
      {{- with $values.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      affinity:
        {{- if $values.affinity }}
        {{- toYaml $values.affinity | nindent 8 }}
        {{- else }}
        podAntiAffinity:
          # Spread replicas over nodes so one node's loss takes at most one.
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "parley.selectorLabels" $labels | nindent 20 }}
        {{- end }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "parley.selectorLabels" $labels | nindent 14 }}
{{- end -}}

{{- define "parley.http.service" -}}
{{- $svc := include "parley.service" . | fromYaml -}}
{{- $labels := dict "root" .root "component" $svc.name -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "parley.fullname" .root }}-{{ $svc.name }}
  labels:
    {{- include "parley.labels" $labels | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "parley.selectorLabels" $labels | nindent 4 }}
  ports:
    - name: http
      port: {{ $svc.port }}
      targetPort: http
      protocol: TCP
{{- end -}}

{{- define "parley.http.hpa" -}}
{{- $root := .root -}}
{{- $svc := include "parley.service" . | fromYaml -}}
{{- $values := index $root.Values $svc.key -}}
{{- $as := $values.autoscaling -}}
{{- if $as.enabled -}}
{{- $target := index $as $svc.target -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "parley.fullname" $root }}-{{ $svc.name }}
  labels:
    {{- include "parley.labels" (dict "root" $root "component" $svc.name) | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "parley.fullname" $root }}-{{ $svc.name }}
  minReplicas: {{ $as.minReplicas }}
  maxReplicas: {{ $as.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $as.targetCPUUtilizationPercentage }}
    {{- if gt (int $target) 0 }}
    # Served by the Prometheus Adapter (custom.metrics.k8s.io): docs/operations.md#custom-metrics
    - type: Pods
      pods:
        metric:
          name: {{ $svc.metric }}
        target:
          type: AverageValue
          averageValue: {{ $target | quote }}
    {{- end }}
  behavior:
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
        - type: Percent
          value: 100
          periodSeconds: 30
    # Scaling in moves connections (clients resume elsewhere): do it slowly.
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Pods
          value: 1
          periodSeconds: 120
{{- end -}}
{{- end -}}

{{- define "parley.pdb" -}}
{{- $values := .values -}}
{{- if $values.pdb.enabled -}}
{{- $labels := dict "root" .root "component" .component -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "parley.fullname" .root }}-{{ .component }}
  labels:
    {{- include "parley.labels" $labels | nindent 4 }}
spec:
  maxUnavailable: {{ $values.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "parley.selectorLabels" $labels | nindent 6 }}
{{- end -}}
{{- end -}}

{{- define "parley.servicemonitor" -}}
{{- if .root.Values.metrics.serviceMonitor.enabled -}}
{{- $labels := dict "root" .root "component" .component -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "parley.fullname" .root }}-{{ .component }}
  labels:
    {{- include "parley.labels" $labels | nindent 4 }}
    {{- with .root.Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "parley.selectorLabels" $labels | nindent 6 }}
  endpoints:
    - port: http
      path: /q/metrics
      interval: {{ .root.Values.metrics.serviceMonitor.interval }}
{{- end -}}
{{- end -}}

{{/*
Ingress rules of one HTTP service: who may reach its port.
(dict "root" $ "component" "signaling" "port" 8080 "public" true)
*/}}
{{- define "parley.networkpolicy.http" -}}
{{- $root := .root -}}
{{- $np := $root.Values.networkPolicy -}}
{{- if $np.enabled -}}
{{- $labels := dict "root" $root "component" .component -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "parley.fullname" $root }}-{{ .component }}
  labels:
    {{- include "parley.labels" $labels | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "parley.selectorLabels" $labels | nindent 6 }}
  policyTypes:
    - Ingress
  ingress:
    {{- if .public }}
    # The Ingress routes browsers' requests here.
    - from:
        - namespaceSelector:
            {{- toYaml $np.ingressController.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.ingressController.podSelector | nindent 12 }}
      ports:
        - port: {{ .port }}
          protocol: TCP
    {{- end }}
    # Prometheus scrapes /q/metrics.
    - from:
        - namespaceSelector:
            {{- toYaml $np.monitoring.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.monitoring.podSelector | nindent 12 }}
      ports:
        - port: {{ .port }}
          protocol: TCP
{{- end -}}
{{- end -}}
