{{/* Name prefix of every object: <release>-stratus, or the release name when it already says stratus. */}}
{{- define "stratus.fullname" -}}
{{- if contains "stratus" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-stratus" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one layer's objects. Args: dict root name */}}
{{- define "stratus.componentName" -}}
{{- printf "%s-%s" (include "stratus.fullname" .root) .name -}}
{{- end -}}

{{- define "stratus.selectorLabels" -}}
app.kubernetes.io/name: stratus
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "stratus.labels" -}}
{{ include "stratus.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: stratus
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "stratus.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "stratus.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Image of one layer; values.<layer>.imageTag overrides image.tag to stage an upgrade layer by layer. */}}
{{- define "stratus.image" -}}
{{- $v := .root.Values.image -}}
{{- $tag := .values.imageTag | default $v.tag | default .root.Chart.AppVersion -}}
{{- printf "%s/%s-%s:%s" $v.registry $v.repository .name $tag -}}
{{- end -}}

{{/* Grace the pod gets on SIGTERM: the app's drain plus 15 s for the endpoint removal to propagate. */}}
{{- define "stratus.terminationGraceSeconds" -}}
{{- add (div .Values.shutdownGraceMs 1000) 15 -}}
{{- end -}}

{{/*
ConfigMap data shared by every layer. Non-secret settings only: the invariant tests fail the
chart if a key here looks like a credential.
Args: dict root name values
*/}}
{{- define "stratus.commonConfig" -}}
STRATUS_CELL: {{ .root.Values.cell | quote }}
STRATUS_BIND_HOST: "0.0.0.0"
STRATUS_GRPC_PORT: {{ .values.grpcPort | quote }}
STRATUS_ADMIN_PORT: {{ .values.adminPort | quote }}
STRATUS_LOG_LEVEL: {{ .root.Values.logLevel | quote }}
STRATUS_SHUTDOWN_GRACE_MS: {{ .root.Values.shutdownGraceMs | quote }}
{{- if eq .root.Values.zone.source "static" }}
STRATUS_AZ: {{ .root.Values.zone.static | quote }}
{{- end }}
{{- range $k, $v := .values.env }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{/*
Pod template shared by every layer. Args: dict
  root, name, values, ports (list of {name, port}), volumeMounts (list), volumes (list), envFrom (list),
  env (list of container env entries, after STRATUS_NODE_ID so they may refer to it as $(STRATUS_NODE_ID))
*/}}
{{- define "stratus.podTemplate" -}}
{{- $root := .root -}}
{{- $v := .values -}}
metadata:
  labels:
    {{- include "stratus.labels" . | nindent 4 }}
  annotations:
    checksum/config: {{ include "stratus.commonConfig" . | sha256sum }}
    {{- with $v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ include "stratus.serviceAccountName" $root }}
  # No API token in the service containers; only resolve-zone gets one (projected volume below).
  automountServiceAccountToken: false
  terminationGracePeriodSeconds: {{ include "stratus.terminationGraceSeconds" $root }}
  securityContext:
    {{- toYaml $root.Values.podSecurityContext | nindent 4 }}
  {{- with $root.Values.image.pullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  # Spread across zones first (a zone outage must not take a whole layer), then across nodes.
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: {{ $root.Values.zone.topologyKey }}
      whenUnsatisfiable: {{ $v.topologySpread.whenUnsatisfiable }}
      labelSelector:
        matchLabels:
          {{- include "stratus.selectorLabels" . | nindent 10 }}
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "stratus.selectorLabels" . | nindent 10 }}
  {{- if eq $root.Values.zone.source "nodeLabel" }}
  initContainers:
    # The zone label lives on the Node; read it through the API and hand it to the main
    # container in a file (STRATUS_AZ_FILE), which the image's entrypoint exports as STRATUS_AZ.
    - name: resolve-zone
      image: {{ include "stratus.image" . }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      command: ["node", "/app/resolve-zone.mjs"]
      env:
        - name: NODE_NAME
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: STRATUS_ZONE_LABEL
          value: {{ $root.Values.zone.topologyKey | quote }}
        - name: STRATUS_AZ_FILE
          value: /var/run/stratus/zone/az
      securityContext:
        {{- toYaml $root.Values.containerSecurityContext | nindent 8 }}
      resources:
        requests: { cpu: 10m, memory: 32Mi }
        limits: { memory: 64Mi }
      volumeMounts:
        - name: zone
          mountPath: /var/run/stratus/zone
        - name: kube-api-access
          mountPath: /var/run/secrets/kubernetes.io/serviceaccount
          readOnly: true
  {{- end }}
  containers:
    - name: {{ .name }}
      image: {{ include "stratus.image" . }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      envFrom:
        - configMapRef:
            name: {{ include "stratus.componentName" . }}
        {{- with .envFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      env:
        # The pod name is the node id: stable for StatefulSets, unique for Deployments.
        - name: STRATUS_NODE_ID
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        {{- if eq $root.Values.zone.source "nodeLabel" }}
        - name: STRATUS_AZ_FILE
          value: /var/run/stratus/zone/az
        {{- else if eq $root.Values.zone.source "podLabel" }}
        - name: STRATUS_AZ
          valueFrom:
            fieldRef:
              fieldPath: metadata.labels['{{ $root.Values.zone.topologyKey }}']
        {{- end }}
        {{- with .env }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - name: grpc
          containerPort: {{ $v.grpcPort }}
          protocol: TCP
        - name: admin
          containerPort: {{ $v.adminPort }}
          protocol: TCP
        {{- range .ports }}
        - name: {{ .name }}
          containerPort: {{ .port }}
          protocol: TCP
        {{- end }}
      # /healthz never depends on etcd or S3 so an outage does not restart every pod;
      # /readyz takes the pod out of its Service while starting, draining or unhealthy.
      startupProbe:
        httpGet: { path: /healthz, port: admin }
        periodSeconds: 2
        failureThreshold: 60
      livenessProbe:
        httpGet: { path: /healthz, port: admin }
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      readinessProbe:
        httpGet: { path: /readyz, port: admin }
        periodSeconds: 5
        timeoutSeconds: 3
        failureThreshold: 2
      securityContext:
        {{- toYaml $root.Values.containerSecurityContext | nindent 8 }}
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        {{- if eq $root.Values.zone.source "nodeLabel" }}
        - name: zone
          mountPath: /var/run/stratus/zone
          readOnly: true
        {{- end }}
        {{- with .volumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: tmp
      emptyDir: {}
    {{- if eq $root.Values.zone.source "nodeLabel" }}
    - name: zone
      emptyDir: {}
    - name: kube-api-access
      projected:
        sources:
          - serviceAccountToken:
              path: token
              expirationSeconds: 3600
          - configMap:
              name: kube-root-ca.crt
              items:
                - key: ca.crt
                  path: ca.crt
    {{- end }}
    {{- with .volumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* ConfigMap of one layer. Args: dict root name values extra (map of more STRATUS_* keys) */}}
{{- define "stratus.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "stratus.componentName" . }}
  labels:
    {{- include "stratus.labels" . | nindent 4 }}
data:
  {{- include "stratus.commonConfig" . | nindent 2 }}
  {{- range $k, $val := .extra }}
  {{ $k }}: {{ $val | quote }}
  {{- end }}
{{- end -}}

{{/* PodDisruptionBudget of one layer. Args: dict root name values */}}
{{- define "stratus.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "stratus.componentName" . }}
  labels:
    {{- include "stratus.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .values.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "stratus.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* Service of one layer. Args: dict root name values headless ports(list of {name, port}) */}}
{{- define "stratus.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "stratus.componentName" . }}{{ if .headless }}-headless{{ end }}
  labels:
    {{- include "stratus.labels" . | nindent 4 }}
  {{- with (.service | default dict).annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- if .headless }}
  clusterIP: None
  # Peers address each other by pod DNS name while starting, before they are ready.
  publishNotReadyAddresses: true
  {{- else }}
  type: {{ (.service | default dict).type | default "ClusterIP" }}
  {{- end }}
  selector:
    {{- include "stratus.selectorLabels" . | nindent 4 }}
  ports:
    {{- range .ports }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .name }}
      protocol: TCP
    {{- end }}
    - name: grpc
      port: {{ .values.grpcPort }}
      targetPort: grpc
      protocol: TCP
    - name: admin
      port: {{ .values.adminPort }}
      targetPort: admin
      protocol: TCP
{{- end -}}

{{/* HorizontalPodAutoscaler of one layer. Args: dict root name values */}}
{{- define "stratus.hpa" -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "stratus.componentName" . }}
  labels:
    {{- include "stratus.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "stratus.componentName" . }}
  minReplicas: {{ .values.autoscaling.minReplicas }}
  maxReplicas: {{ .values.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .values.autoscaling.targetCPUUtilizationPercentage }}
{{- end -}}
