# Ortalyq: a multi-stage image. The build stage compiles the server and the
# browser bundle with cargo-leptos; the runtime stage holds only the binary,
# the site folder and CA certificates, and runs as an unprivileged user.
#
#   docker build -t ortalyq .
#   docker run -p 3000:3000 -v ortalyq-data:/data ortalyq
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://ortalyq@db/ortalyq ortalyq
#
# See docs/DEPLOY.md.

ARG RUST_VERSION=1.95
FROM rust:${RUST_VERSION}-bookworm AS build
WORKDIR /src
# Build tools, the same way .ci/ensure-tools installs them: the wasm target,
# cargo-leptos (it needs nightly to build itself), the wasm-bindgen CLI that
# matches Cargo.lock, and wasm-opt from binaryen.
RUN apt-get update \
 && apt-get install -y --no-install-recommends binaryen \
 && rm -rf /var/lib/apt/lists/* \
 && rustup target add wasm32-unknown-unknown \
 && rustup toolchain install nightly --profile minimal \
 && cargo +nightly install cargo-leptos --version 0.3.11 --locked --features no_downloads
COPY Cargo.toml Cargo.lock ./
RUN want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock) \
 && cargo install wasm-bindgen-cli --locked --version "$want"
COPY . .
ENV CARGO_TARGET_DIR=/src/target
RUN cargo leptos build --release --split --precompress \
 && mkdir -p /out \
 && cp target/release/ortalyq target/release/hash.txt /out/ \
 && cp -r target/site /out/site

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /data --create-home --shell /usr/sbin/nologin ortalyq
COPY --from=build /out/ortalyq /usr/local/bin/ortalyq
# The build files' content hashes: read from beside the binary.
COPY --from=build /out/hash.txt /usr/local/bin/hash.txt
COPY --from=build /out/site /srv/ortalyq/site
# Data (the SQLite file, the pass-signing key, the text-message outbox)
# lives on a volume. With PostgreSQL, give DATABASE_URL and ORTALYQ_PASS_KEY
# and the volume holds only the outbox.
ENV ORTALYQ_DATA_DIR=/data \
    LEPTOS_OUTPUT_NAME=ortalyq \
    LEPTOS_SITE_ROOT=/srv/ortalyq/site \
    LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    LEPTOS_ENV=PROD \
    ORTALYQ_LOG_FORMAT=json
VOLUME ["/data"]
USER ortalyq
WORKDIR /data
EXPOSE 3000
# The server stops on SIGTERM after finishing requests in flight.
STOPSIGNAL SIGTERM
# Liveness only (/healthz); a load balancer should route by /readyz.
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:3000/healthz"]
ENTRYPOINT ["/usr/local/bin/ortalyq"]
CMD ["serve"]
