# syntax=docker/dockerfile:1

# Take Sessions GraphQL backend: multi-stage production image.
#   docker build -t take-sessions .
#   docker compose up --build        (brings MongoDB, moto and Redis as well)
# The image contains no secrets; every endpoint and secret comes from the environment.

ARG NODE_IMAGE=node:22-bookworm-slim

# ---------- 1. build: full dependency tree, compile TypeScript to dist/ ----------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# tsc -p tsconfig.build.json -> dist/src/main.js, dist/libs/...
RUN npm run build

# ---------- 2. prod-deps: production dependencies only ----------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# ---------- 3. runtime ----------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# The live heap is 60-80 MiB under load; without a cap V8 lets garbage grow the old generation
# (RSS 330 MiB in `npm run bench -- overhead`, about 200 with the cap). Raise it through
# NODE_OPTIONS for an instance holding very many subscriptions. The 32 MiB semi-space lets a
# request's short-lived objects die young instead of being promoted while other requests are in
# flight (garbage collection was a quarter of the search page's overhead; see README, Shipping).
ENV NODE_ENV=production \
    PORT=3000 \
    NODE_OPTIONS="--max-old-space-size=256 --max-semi-space-size=32"

# Code and dependencies stay owned by root (read-only for the app user). schema.gql belongs to
# the app user so that a schema regeneration at start-up cannot fail on permissions.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --chown=node:node schema.gql ./schema.gql

# Lesson recordings are probed and decoded by ffmpeg/ffprobe (src/recordings/analysis).
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg \
 && rm -rf /var/lib/apt/lists/*

# The official image ships the unprivileged user `node` (uid 1000).
USER node

EXPOSE 3000

# Slim images have no curl: probe liveness with Node's built-in fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/src/main.js"]
