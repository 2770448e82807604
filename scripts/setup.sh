#!/usr/bin/env bash
# Set up everything Seloste needs on a fresh Debian machine: idempotent, quick when nothing changed.
#   scripts/setup.sh          runtime + test tools (venv, pip, chromium, npm packages)
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# WeasyPrint renders through Pango; the fonts it uses ship in static/fonts.
[ -e /usr/lib/x86_64-linux-gnu/libpango-1.0.so.0 ] || ls /usr/lib/*/libpango-1.0.so.0 >/dev/null 2>&1 \
  || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: please install these Debian packages: ${need_apt[*]}" >&2
    exit 1
  fi
  echo "setup: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.setup-stamp"
want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages"
  "$VENV/bin/pip" install -q --disable-pip-version-check --upgrade pip
  "$VENV/bin/pip" install -q --disable-pip-version-check -e '.[test]'
  echo "$want" > "$stamp"
fi

if [ -f package.json ]; then
  npm_stamp=node_modules/.setup-stamp
  want_npm=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$want_npm" ]; then
    echo "setup: installing npm packages"
    # --ignore-scripts: vnu-jar's postinstall downloads a JDK from GitHub when it finds no Java;
    # Java comes from Debian above and nothing we use needs an install script.
    if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund --ignore-scripts; else npm install --silent --no-audit --no-fund --ignore-scripts; fi
    echo "$want_npm" > "$npm_stamp"
  fi
fi
