# syntax=docker/dockerfile:1
# The service's image (README "Running in production"). Build: docker build -t safeguard-conference .

# Build: every dependency, then the TypeScript compiled to dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY libs libs
COPY migrations migrations
COPY src src
RUN npm run build

# Runtime: production dependencies only, the compiled service, run as the unprivileged `node` user. The same
# image runs the migrations (`npm run migration:run:prod`) as a step of its own before the replicas start.
FROM node:22-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist dist
# Owned by root and read-only to the service: it writes nothing but its logs, to stdout.
USER node
EXPOSE 3000
# Ready means the database answers; the orchestrator and the proxy take an unready replica out of service.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM: the service stops accepting connections, finishes the requests in flight and closes the database.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
