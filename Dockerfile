# syntax=docker/dockerfile:1
# One image for every service of the graph: the gateway, each subgraph and the migration.
# compose.yaml sets what a container runs with its `command`. TypeScript runs as is with
# tsx (there is no build step), so the image keeps the workspace's dev dependencies.
FROM node:24.22-bookworm-slim

# The pnpm the workspace declares in package.json ("packageManager").
RUN npm install --global pnpm@12.4.2 && npm cache clean --force

WORKDIR /app
RUN chown node:node /app
USER node

COPY --chown=node:node . .

# --prod=false: tsx, a root devDependency, runs the services. The root postinstall
# generates the Prisma client, offline, and bundles the gateway's GraphiQL explorer with
# esbuild (a gateway devDependency) into gateway/explorer/dist. The package store is a
# build cache, not a layer: repeated builds reuse the downloads and the image holds only
# node_modules (and that bundle).
RUN --mount=type=cache,id=token-nexus-pnpm-store,target=/home/node/.cache/pnpm-store,uid=1000,gid=1000 \
    pnpm install --frozen-lockfile --prod=false --prefer-offline --store-dir=/home/node/.cache/pnpm-store

# Only after the install, which would otherwise leave out dev dependencies. With it, a
# container started without the secrets refuses to run instead of using public stand-ins.
ENV NODE_ENV=production

# Every service names its own command (see compose.yaml); a bare `docker run` says so.
CMD ["node", "-e", "console.error('This image runs one service of the graph: give its command, e.g. node --import tsx gateway/src/main.ts, node --import tsx subgraphs/identity/src/main.ts or pnpm migrate (see compose.yaml).'); process.exit(1)"]
