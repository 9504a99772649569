# A production image: one build, then a runtime holding production dependencies and compiled
# code only, run as an unprivileged user, answering /ready for the host.
# .ci/image-check replays these steps in CI (no Docker engine there): keep to the instructions
# it knows (FROM, WORKDIR, ENV, COPY, RUN, USER, EXPOSE, HEALTHCHECK, CMD). The Node version is
# pinned to the one CI's suite runs on (.ci/run reads it from the first FROM).
FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY plugins ./plugins
COPY bin ./bin
COPY scripts ./scripts
# npm ci builds through `prepare`: src/ and plugins/ compiled to dist/, the CommonJS build in
# dist/cjs/ (scripts/build-cjs.mjs), the CLI bundled into dist/start/ (scripts/build-start.mjs).
RUN npm ci --no-audit --no-fund

FROM node:24.22.3-bookworm-slim
ENV NODE_ENV=production LOG_FORMAT=json PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
# No dev dependencies (no compiler, no tsx); no scripts, so `prepare` does not build again.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY scripts ./scripts
COPY app.yml ./
COPY fixtures ./fixtures
COPY src/console/console.html ./src/console/console.html
COPY src/console/console.js ./src/console/console.js
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/hookwright.js", "run"]
