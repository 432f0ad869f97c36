#!/usr/bin/env bash
# scripts/provision.sh — prepare this machine to run devenv's whole test suite (`npm test`).
#
# What it makes sure of, in order (each step does nothing when its result is already there):
#   1. Node >= 22.22 (package.json `engines`). When the machine's `node` is older or missing, the npm
#      registry's `node@24` package is installed into $DEVENV_CACHE/node24 (the system node is untouched).
#   2. The tools it needs, from Debian packages when a command is missing (root on Debian/Ubuntu only;
#      `apt-get update` runs only then): docker.io (dockerd, docker; only when no engine answers),
#      docker-registry, debootstrap, curl, python3.
#   3. A reachable Docker engine. When `docker info` fails and we are root on Debian/Ubuntu with the
#      default local socket, `dockerd` is started in the background (no systemd needed; log:
#      $DEVENV_CACHE/logs/dockerd.log) and we wait until it answers. Otherwise we say what to do.
#   4. The offline image hub: a local registry (Debian's `docker-registry`) listening on 127.0.0.1:5000
#      (config: $DEVENV_CACHE/hub/config.yml, data: /var/lib/docker-registry, log:
#      $DEVENV_CACHE/logs/hub.log), configured as the engine's Docker Hub mirror in
#      /etc/docker/daemon.json (other keys are kept; a running dockerd is reloaded with SIGHUP).
#   5. Stand-in images in the hub, built from test/images/ (see test/images/README.md): a debootstrap
#      Debian base, then one image per folder listed in test/images/hub-images.txt, pushed as
#      127.0.0.1:5000/library/NAME:TAG so that `docker pull NAME:TAG` is served by the mirror.
#      Each image carries the label devenv.test.recipe-hash (hash of its folder and of the base
#      recipe); an image is rebuilt and pushed only when the hub's copy has a different hash.
#
# Output: progress and problems go to stderr; nothing at all is printed when everything is present.
# Exit status: 0 when the machine is ready, 1 otherwise (with what to do), 2 on a bad option.
#
# Options:
#   --env        also print, on stdout, shell code to eval so that Node >= 22.22 comes first on PATH
#                (`export PATH=...`; nothing when the machine's node is already recent enough).
#                Used by .ci/run:  env_code=$(bash scripts/provision.sh --env) && eval "$env_code"
#   --rebuild    rebuild and push every stand-in image (and the base) even if its recipe is unchanged.
#   --verbose    show the output of builds and pushes as they run.
#   -h, --help   print this header.
#
# Environment:
#   DEVENV_CACHE           cache folder (default: $HOME/.cache/devenv)
#   DEVENV_DEBIAN_MIRROR   Debian mirror for debootstrap (default: http://deb.debian.org/debian)
#   DOCKER_HOST            honoured; a non-local engine is only checked, never started or configured.
set -euo pipefail

readonly MIN_NODE_MAJOR=22 MIN_NODE_MINOR=22
readonly HUB=127.0.0.1:5000
readonly RECIPE_LABEL=devenv.test.recipe-hash
readonly BASE_IMAGE=devenv-test/debian-base:trixie
readonly ROOTFS_IMAGE=devenv-test/debian-rootfs:trixie

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_ROOT IMAGES_DIR="$REPO_ROOT/test/images"
CACHE=${DEVENV_CACHE:-$HOME/.cache/devenv}
readonly CACHE LOGS="$CACHE/logs"
readonly DEBIAN_MIRROR=${DEVENV_DEBIAN_MIRROR:-http://deb.debian.org/debian}

opt_env=0 opt_rebuild=0 opt_verbose=0
for arg in "$@"; do
  case $arg in
    --env) opt_env=1 ;;
    --rebuild) opt_rebuild=1 ;;
    --verbose) opt_verbose=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' && exit 0 ;;
    *) echo "provision: unknown option '$arg' (see --help)" >&2 && exit 2 ;;
  esac
done

# The legacy builder needs no buildx plugin and speaks to old engines (Debian's docker.io is 20.10).
export DOCKER_BUILDKIT=0
# Never send requests for the local hub through a proxy.
export NO_PROXY="${NO_PROXY:+$NO_PROXY,}127.0.0.1" no_proxy="${no_proxy:+$no_proxy,}127.0.0.1"

say() { echo "provision: $*" >&2; }
die() {
  echo "provision: error: $*" >&2
  exit 1
}
is_root() { [[ $(id -u) -eq 0 ]]; }
is_debian_like() { [[ -r /etc/os-release ]] && grep -Eqi '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release; }
local_engine() { [[ -z ${DOCKER_HOST:-} || ${DOCKER_HOST} == unix:///var/run/docker.sock || ${DOCKER_HOST} == unix:///run/docker.sock ]]; }
engine_answers() { docker info >/dev/null 2>&1; }
wait_until() { # wait_until SECONDS COMMAND...
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}
# Runs a command quietly, keeping its output in a log; on failure shows the end of that log.
run_logged() { # run_logged LOGFILE COMMAND...
  local log=$1
  shift
  mkdir -p "$(dirname "$log")"
  if ((opt_verbose)); then
    "$@" 2>&1 | tee "$log" >&2 && return 0
  elif "$@" >"$log" 2>&1; then
    return 0
  fi
  echo "provision: '$*' failed; last lines of $log:" >&2
  tail -n 30 "$log" | sed 's/^/  | /' >&2
  return 1
}

# --- 1. Node -------------------------------------------------------------------------------------
node_is_recent() { # node_is_recent NODE_BINARY
  local version
  version=$("$1" -p 'process.versions.node' 2>/dev/null) || return 1
  local major=${version%%.*} rest=${version#*.}
  local minor=${rest%%.*}
  ((major > MIN_NODE_MAJOR || (major == MIN_NODE_MAJOR && minor >= MIN_NODE_MINOR)))
}

ensure_node() {
  local system_node
  system_node=$(command -v node || true)
  if [[ -n $system_node ]] && node_is_recent "$system_node"; then
    return 0
  fi
  local prefix="$CACHE/node24" node_bin="$CACHE/node24/node_modules/.bin/node"
  if ! node_is_recent "$node_bin"; then
    command -v npm >/dev/null || die "Node >= $MIN_NODE_MAJOR.$MIN_NODE_MINOR is needed and there is no npm to fetch it; install Node 24 from https://nodejs.org."
    local found="no node on PATH"
    [[ -n $system_node ]] && found="node $("$system_node" -v 2>/dev/null) is older than $MIN_NODE_MAJOR.$MIN_NODE_MINOR"
    say "$found; installing node@24 from the npm registry into $prefix"
    mkdir -p "$prefix"
    run_logged "$LOGS/node-install.log" npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error node@24 ||
      die "could not install node@24 into $prefix"
    node_is_recent "$node_bin" || die "$node_bin does not run or is too old after installing node@24 (see $LOGS/node-install.log)"
  fi
  if ((opt_env)); then
    # shellcheck disable=SC2016 # $PATH is for the shell that evals this line
    printf 'export PATH=%q:"$PATH"\n' "$(dirname "$node_bin")"
  fi
}

# --- 2. Debian packages --------------------------------------------------------------------------
ensure_packages() {
  local missing=()
  need() { # need COMMAND PACKAGE
    command -v "$1" >/dev/null || [[ " ${missing[*]} " == *" $2 "* ]] || missing+=("$2")
  }
  if ! engine_answers; then
    need dockerd docker.io
    need docker docker.io
  fi
  need docker-registry docker-registry
  need debootstrap debootstrap
  need curl curl
  need python3 python3
  ((${#missing[@]} == 0)) && return 0
  if ! is_root || ! is_debian_like || ! command -v apt-get >/dev/null; then
    die "missing: ${missing[*]}. As root on Debian/Ubuntu: apt-get install -y ${missing[*]} (or rerun this script as root), or install Docker, a registry and debootstrap your own way."
  fi
  say "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  run_logged "$LOGS/apt.log" apt-get update -q || die "apt-get update failed"
  # With recommends, as verified on these machines: docker.io's apparmor, cgroupfs-mount and tini matter
  # to dockerd on some kernels.
  run_logged "$LOGS/apt.log" apt-get install -y -q "${missing[@]}" ||
    die "apt-get install ${missing[*]} failed"
}

# --- 3. Docker engine, with the hub as its Docker Hub mirror ------------------------------------
mirror_configured() { docker info --format '{{json .RegistryConfig.Mirrors}}' 2>/dev/null | grep -q "http://$HUB"; }

# Adds the hub to registry-mirrors in /etc/docker/daemon.json, keeping every other key. Prints
# "changed" when it wrote the file.
configure_mirror_file() {
  mkdir -p /etc/docker
  python3 - "/etc/docker/daemon.json" "http://$HUB" <<'PY'
import json, os, sys
path, mirror = sys.argv[1], sys.argv[2]
try:
    with open(path) as f:
        text = f.read()
    config = json.loads(text) if text.strip() else {}
except FileNotFoundError:
    config = {}
except ValueError as e:
    sys.exit(f"provision: error: {path} is not valid JSON ({e}); fix it and rerun")
mirrors = config.get("registry-mirrors", [])
if any(m.rstrip("/") == mirror for m in mirrors):
    sys.exit(0)
config["registry-mirrors"] = [mirror] + mirrors
tmp = path + ".devenv-tmp"
with open(tmp, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
os.replace(tmp, path)
print("changed")
PY
}

start_dockerd() {
  mkdir -p "$LOGS"
  say "starting dockerd in the background (log: $LOGS/dockerd.log)"
  setsid dockerd >>"$LOGS/dockerd.log" 2>&1 </dev/null &
  if ! wait_until 60 engine_answers; then
    tail -n 20 "$LOGS/dockerd.log" | sed 's/^/  | /' >&2
    die "dockerd did not answer within 60 s (log: $LOGS/dockerd.log)"
  fi
}

ensure_engine() {
  local can_manage=0
  if is_root && is_debian_like && local_engine; then can_manage=1; fi

  if ((can_manage)); then
    [[ $(configure_mirror_file) == changed ]] && say "added http://$HUB to registry-mirrors in /etc/docker/daemon.json"
  fi

  if ! engine_answers; then
    if ((!can_manage)); then
      die "no Docker engine answers (${DOCKER_HOST:-unix:///var/run/docker.sock}). Start Docker (or point DOCKER_HOST at an engine), or rerun this script as root on Debian/Ubuntu so it can install and start one."
    fi
    if pgrep -x dockerd >/dev/null; then
      say "dockerd is running but does not answer yet; waiting"
      wait_until 60 engine_answers || die "dockerd runs but does not answer; see $LOGS/dockerd.log or stop it and rerun"
    else
      start_dockerd
    fi
  fi

  if ! mirror_configured; then
    if ((!can_manage)); then
      die "the Docker engine does not use the offline hub as its Docker Hub mirror. Add \"registry-mirrors\": [\"http://$HUB\"] to its daemon.json and reload it (or rerun this script as root on Debian/Ubuntu)."
    fi
    local pid
    pid=$(pgrep -xo dockerd) || die "the engine answers but no local dockerd process is found to reload"
    say "reloading dockerd (pid $pid) so it uses the hub mirror"
    kill -HUP "$pid"
    wait_until 20 mirror_configured || die "dockerd did not pick up the registry mirror after SIGHUP; restart it and rerun"
  fi
}

# --- 4. The offline hub (a local registry on 127.0.0.1:5000) ------------------------------------
hub_answers() { curl -fsS --noproxy '*' -o /dev/null --max-time 3 "http://$HUB/v2/" 2>/dev/null; }

ensure_hub() {
  hub_answers && return 0
  if ! is_root; then
    die "the offline image hub does not answer at http://$HUB/v2/. Rerun this script as root to start it."
  fi
  command -v docker-registry >/dev/null || die "docker-registry is not installed (apt-get install docker-registry)"
  # Our own config, not /etc/docker/registry/config.yml: Debian's listens on all addresses and
  # expects an htpasswd file. This one listens on loopback only and needs no authentication.
  local config="$CACHE/hub/config.yml" data=/var/lib/docker-registry
  mkdir -p "$(dirname "$config")" "$data" "$LOGS"
  cat >"$config" <<EOF
# Written by scripts/provision.sh: devenv's offline image hub (a Docker Hub mirror for tests).
version: 0.1
log:
  level: warn
  fields:
    service: devenv-hub
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: $data
  delete:
    enabled: true
http:
  addr: $HUB
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  say "starting the offline image hub on http://$HUB (log: $LOGS/hub.log)"
  setsid docker-registry serve "$config" >>"$LOGS/hub.log" 2>&1 </dev/null &
  if ! wait_until 30 hub_answers; then
    tail -n 20 "$LOGS/hub.log" | sed 's/^/  | /' >&2
    die "the hub did not answer on http://$HUB within 30 s (is port 5000 taken? log: $LOGS/hub.log)"
  fi
}

# --- 5. Stand-in images --------------------------------------------------------------------------
# Hash of a folder's file names and contents, plus any extra words (e.g. the base recipe's hash).
recipe_hash() { # recipe_hash DIR [EXTRA...]
  local dir=$1
  shift
  {
    printf '%s\n' "$@"
    (cd "$dir" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-16
}

local_label() { # local_label IMAGE -> the recipe label of a local image, empty if none
  docker image inspect --format "{{index .Config.Labels \"$RECIPE_LABEL\"}}" "$1" 2>/dev/null || true
}

hub_label() { # hub_label REPOSITORY TAG -> the recipe label of the hub's image, empty if none
  python3 - "$HUB" "$1" "$2" "$RECIPE_LABEL" <<'PY'
import json, sys, urllib.error, urllib.request
hub, repo, tag, label = sys.argv[1:]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
accept = ", ".join([
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
])
try:
    req = urllib.request.Request(f"http://{hub}/v2/{repo}/manifests/{tag}", headers={"Accept": accept})
    manifest = json.load(opener.open(req, timeout=10))
    config_digest = manifest["config"]["digest"]
    config = json.load(opener.open(f"http://{hub}/v2/{repo}/blobs/{config_digest}", timeout=10))
except (urllib.error.URLError, KeyError, ValueError):
    sys.exit(0)
print((config.get("config") or {}).get("Labels", {}).get(label, ""))
PY
}

ensure_base() { # ensure_base HASH
  local want=$1
  [[ $(local_label "$BASE_IMAGE") == "$want" ]] && return 0
  local SUITE VARIANT INCLUDE=""
  # shellcheck source=/dev/null
  source "$IMAGES_DIR/base/debootstrap.conf"
  local rootfs
  mkdir -p "$CACHE"
  rootfs=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$rootfs'" EXIT
  say "building the stand-in base: debootstrap --variant=$VARIANT $SUITE from $DEBIAN_MIRROR (about a minute)"
  run_logged "$LOGS/build-base.log" debootstrap --variant="$VARIANT" ${INCLUDE:+--include="$INCLUDE"} \
    "$SUITE" "$rootfs" "$DEBIAN_MIRROR" || die "debootstrap failed"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | docker import - "$ROOTFS_IMAGE" >/dev/null || die "docker import of the rootfs failed"
  rm -rf "$rootfs"
  trap - EXIT
  run_logged "$LOGS/build-base.log" docker build --build-arg "ROOTFS=$ROOTFS_IMAGE" --label "$RECIPE_LABEL=$want" \
    -t "$BASE_IMAGE" "$IMAGES_DIR/base" || die "building $BASE_IMAGE failed"
}

ensure_images() {
  local base_hash list="$IMAGES_DIR/hub-images.txt"
  [[ -r $list ]] || die "$list is missing"
  base_hash=$(recipe_hash "$IMAGES_DIR/base")
  local built=0 dir ref
  while read -r dir ref _; do
    [[ -z $dir || $dir == \#* ]] && continue
    [[ -d $IMAGES_DIR/$dir ]] || die "$list names $dir, but $IMAGES_DIR/$dir does not exist"
    local name=${ref%:*} tag=${ref##*:} want
    [[ $name == */* ]] || name="library/$name"
    want=$(recipe_hash "$IMAGES_DIR/$dir" "base=$base_hash")
    local hub_ref="$HUB/$name:$tag"
    if ((!opt_rebuild)) && [[ $(hub_label "$name" "$tag") == "$want" ]]; then
      continue
    fi
    if ((opt_rebuild)) || [[ $(local_label "$hub_ref") != "$want" ]]; then
      if ((opt_rebuild && !built)); then docker image rm "$BASE_IMAGE" >/dev/null 2>&1 || true; fi
      ensure_base "$base_hash"
      say "building $ref from test/images/$dir"
      # A recipe with a fetch.sh gets what it fetches (e.g. the node binary) in a copy of its folder.
      local context="$IMAGES_DIR/$dir" staged=""
      if [[ -x $IMAGES_DIR/$dir/fetch.sh ]]; then
        staged=$(mktemp -d)
        cp -a "$IMAGES_DIR/$dir/." "$staged/"
        run_logged "$LOGS/fetch-$dir.log" "$IMAGES_DIR/$dir/fetch.sh" "$staged" || die "fetching for $ref failed (log: $LOGS/fetch-$dir.log)"
        context=$staged
      fi
      run_logged "$LOGS/build-$dir.log" docker build --build-arg "BASE=$BASE_IMAGE" --label "$RECIPE_LABEL=$want" \
        -t "$ref" -t "$hub_ref" "$context" || die "building $ref failed (log: $LOGS/build-$dir.log)"
      [[ -z $staged ]] || rm -rf "$staged"
      built=1
    fi
    say "pushing $ref to the hub as $hub_ref"
    run_logged "$LOGS/push-$dir.log" docker push "$hub_ref" || die "pushing $hub_ref failed"
    [[ $(hub_label "$name" "$tag") == "$want" ]] || die "the hub does not show $hub_ref with label $want after the push"
  done <"$list"
  if ((built)); then
    # Drop the dangling leftovers of earlier builds of *our* images only.
    docker image prune -f --filter "label=$RECIPE_LABEL" >/dev/null 2>&1 || true
  fi
}

ensure_node
ensure_packages
ensure_engine
ensure_hub
ensure_images
