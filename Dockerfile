# The vidverify server image: the web client built with Vite, the server (TypeScript that Node 24 runs
# itself) and mediasoup's worker. Build with `docker compose build` or `docker build -t vidverify .`
#
# VIDVERIFY_MEDIASOUP_WORKER chooses where the media worker comes from: `prebuilt` (default) is
# mediasoup's own install, which downloads its prebuilt binary; `offline` builds it from the sources in
# mediasoup's npm package against Debian's libraries (scripts/mediasoup-offline), for builders that
# cannot reach GitHub's releases. The runtime stage then installs those libraries.
ARG VIDVERIFY_MEDIASOUP_WORKER=prebuilt

FROM node:24-bookworm AS build
ARG VIDVERIFY_MEDIASOUP_WORKER
ENV VIDVERIFY_MEDIASOUP_WORKER=${VIDVERIFY_MEDIASOUP_WORKER} \
    VIDVERIFY_CACHE_DIR=/tmp/vidverify-cache
# mediasoup's own install builds from source when no prebuilt binary fits: it needs Python and a compiler.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-pip make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, so that a source change does not reinstall them.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY verifier/package.json verifier/
COPY server/package.json server/
COPY client/package.json client/
COPY e2e/package.json e2e/
COPY scripts scripts
RUN node scripts/setup.mjs
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ARG VIDVERIFY_MEDIASOUP_WORKER
# The offline-built worker links against Debian's libraries instead of carrying its own.
RUN if [ "$VIDVERIFY_MEDIASOUP_WORKER" = offline ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends libssl3 libuv1 libabsl20220623 libusrsctp2 liburing2 libjemalloc2 \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/shared shared
COPY --from=build /app/verifier verifier
COPY --from=build /app/server server
COPY --from=build /app/client/package.json client/package.json
COPY --from=build /app/client/dist client/dist
RUN mkdir -p /var/lib/vidverify && chown node:node /var/lib/vidverify && chmod 700 /var/lib/vidverify
USER node
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/vidverify
EXPOSE 3000
CMD ["node", "server/bin/vidverify.mjs"]
