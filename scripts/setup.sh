#!/usr/bin/env bash
# Set up Seloste on a fresh Debian machine: idempotent, quick when nothing changed.
#   scripts/setup.sh run     runtime only: .venv with exactly the locked runtime packages
#   scripts/setup.sh test    runtime + test tools (pytest, Playwright, ruff, ...), chromium, npm packages
#   scripts/setup.sh bench   runtime + test tools + wrk
# VENV=DIR puts the environment elsewhere (default .venv); CI proves `make run` with a runtime-only
# environment of its own (VENV=.venv-run scripts/setup.sh run).
# Python packages come from uv.lock (exact versions, hashes) through uv, itself pinned by hash in
# scripts/uv-requirements.txt; Debian packages from scripts/debian-packages.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:-test}
case "$target" in run | test | bench) ;; *)
  echo "usage: scripts/setup.sh run|test|bench" >&2
  exit 2
  ;;
esac

PYTHON=${PYTHON:-python3}
TOOLS=.venv-tools
VENV=${VENV:-.venv}
export UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT="$VENV" UV_NO_PROGRESS=1

wanted_targets() {
  case "$1" in run) echo run ;; test) echo run test ;; bench) echo run test bench ;; esac
}

present() {
  local probe=$1
  case "$probe" in
    cmd:*) command -v "${probe#cmd:}" >/dev/null 2>&1 ;;
    lib:*) ldconfig -p 2>/dev/null | grep -q "${probe#lib:}" || ls /usr/lib/*/"${probe#lib:}" >/dev/null 2>&1 ;;
    file:*) [ -e "${probe#file:}" ] ;;
    *) echo "setup: bad probe '$probe' in scripts/debian-packages.txt" >&2; return 1 ;;
  esac
}

need_apt=()
targets=" $(wanted_targets "$target") "
while read -r need package probe; do
  case "$need" in '' | '#'*) continue ;; esac
  [[ "$targets" == *" $need "* ]] || continue
  present "$probe" || need_apt+=("$package")
done < scripts/debian-packages.txt
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: please install these Debian packages: ${need_apt[*]}" >&2
    exit 1
  fi
  echo "setup: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# uv, pinned by hash, in its own small venv so that syncing .venv never removes it.
uv_stamp="$TOOLS/.setup-stamp"
want_uv=$(sha256sum scripts/uv-requirements.txt | cut -d' ' -f1)
if [ ! -x "$TOOLS/bin/uv" ] || [ "$(cat "$uv_stamp" 2>/dev/null)" != "$want_uv" ]; then
  echo "setup: installing uv into $TOOLS"
  rm -rf "$TOOLS"
  "$PYTHON" -m venv "$TOOLS"
  "$TOOLS/bin/pip" install -q --disable-pip-version-check --require-hashes -r scripts/uv-requirements.txt
  echo "$want_uv" >"$uv_stamp"
fi

# Exactly the lock. `run` keeps test tools that are already there (--inexact) so that `make run`
# after `make test` does not uninstall them; `test` and `bench` add the test group.
stamp="$VENV/.setup-stamp-$target"
want=$(cat pyproject.toml uv.lock | sha256sum | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the locked Python packages ($target)"
  if [ "$target" = run ]; then
    "$TOOLS/bin/uv" sync --locked --quiet --python "$PYTHON" --inexact
  else
    "$TOOLS/bin/uv" sync --locked --quiet --python "$PYTHON" --group test
  fi
  # Bytecode now, once: where PYTHONDONTWRITEBYTECODE is set, every command would otherwise
  # compile the libraries it imports again (seconds per `notice`/`portal` command).
  "$VENV/bin/python" -m compileall -q -j 0 "$VENV"/lib/python3*/site-packages >/dev/null 2>&1 || true
  rm -f "$VENV"/.setup-stamp-*
  echo "$want" >"$stamp"
  [ "$target" = run ] || echo "$want" >"$VENV/.setup-stamp-run"
fi

"$VENV/bin/python" -m compileall -q notice portal build.py >/dev/null
# Translation catalogs are compiled here, at set-up (quick when none changed).
"$VENV/bin/python" -m notice.i18n compile >/dev/null
"$VENV/bin/python" -m portal.catalogs compile >/dev/null

# npm: `run` needs package.json's dependencies (the cookie banner the build vendors); `test` adds
# the devDependencies (axe-core, vnu-jar). A full install serves `run` too.
want_npm=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ "$target" = run ] && [ "$(cat node_modules/.setup-stamp 2>/dev/null)" != "$want_npm" ] &&
  [ "$(cat node_modules/.setup-stamp-run 2>/dev/null)" != "$want_npm" ]; then
  echo "setup: installing npm packages (runtime)"
  npm ci --silent --no-audit --no-fund --ignore-scripts --omit=dev
  echo "$want_npm" >node_modules/.setup-stamp-run
fi
if [ "$target" != run ] && [ -f package.json ]; then
  npm_stamp=node_modules/.setup-stamp
  if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$want_npm" ]; then
    echo "setup: installing npm packages"
    # --ignore-scripts: vnu-jar's postinstall downloads a JDK from GitHub when it finds no Java;
    # Java comes from Debian above and nothing we use needs an install script.
    npm ci --silent --no-audit --no-fund --ignore-scripts
    echo "$want_npm" >"$npm_stamp"
  fi
fi
