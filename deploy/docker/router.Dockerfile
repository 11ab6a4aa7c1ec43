# syntax=docker/dockerfile:1.7
# Image of the Stratus router service. Build from the repository root:
#   docker build -f deploy/docker/router.Dockerfile -t stratus-router:dev .
# Node 24 is an LTS line; pin a digest in release builds with
#   --build-arg NODE_IMAGE=node:24-bookworm-slim@sha256:<digest>
ARG NODE_IMAGE=node:24-bookworm-slim

# 1. Build: full workspace with dev dependencies, esbuild bundle of the app (node_modules external).
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false npx nx build router --skip-nx-cache

# 2. Production dependencies only (native modules ship prebuilt, so no install scripts run).
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# 3. Runtime: bundle + production node_modules, non-root user, no npm needed at run time.
FROM ${NODE_IMAGE} AS runtime
RUN groupadd --system --gid 10001 stratus \
 && useradd --system --uid 10001 --gid stratus --no-create-home --shell /usr/sbin/nologin stratus
ENV NODE_ENV=production \
    STRATUS_BIND_HOST=0.0.0.0 \
    STRATUS_GRPC_PORT=7000 \
    STRATUS_ADMIN_PORT=9100 \
    STRATUS_KAFKA_PORT=9092
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /src/dist/apps/router/ ./
COPY deploy/docker/entrypoint.mjs deploy/docker/resolve-zone.mjs deploy/docker/healthcheck.mjs ./
USER 10001:10001
EXPOSE 7000 9100 9092
# Docker/Compose only; on Kubernetes the chart's probes (/healthz, /readyz) apply.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/entrypoint.mjs"]
