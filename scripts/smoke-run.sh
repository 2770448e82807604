#!/usr/bin/env bash
# The README's run command, as a newcomer runs it, on a runtime-only environment of its own:
# `make run` builds the site with its PDFs and starts the portal; we fetch the notice and the
# request form, check that the staff password was printed, stop it the way Ctrl-C does and check
# that nothing it started is left running. CI runs this before the tests (.ci/run), so a runtime
# import of a test-only package (pypdf once) fails the landing instead of the first user.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
venv=${SMOKE_VENV:-.venv-run}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
smtp_port=$(free_port)
while [ "$smtp_port" = "$port" ]; do smtp_port=$(free_port); done
log="$work/run.log"

fail() {
  echo "smoke-run: $*" >&2
  echo "---- make run output ----" >&2
  cat "$log" >&2 || true
  exit 1
}

echo "smoke-run: make run VENV=$venv PORT=$port SMTP_PORT=$smtp_port (runtime packages only)"
# A background job of a non-interactive shell starts with SIGINT ignored, and Python would then
# never see Ctrl-C: restore the default first, as a terminal's foreground job has it.
setsid python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])' \
  make run VENV="$venv" PORT="$port" SMTP_PORT="$smtp_port" DEMO_OUT="$work/site" \
  INSTANCE="$work/instance" >"$log" 2>&1 </dev/null &
leader=$!
disown "$leader"
trap 'kill -KILL -- -"$leader" 2>/dev/null || true; rm -rf "$work"' EXIT

base="http://127.0.0.1:$port"
deadline=$((SECONDS + 600))
until curl -fsS -o /dev/null "$base/requests/fi/" 2>/dev/null; do
  kill -0 "$leader" 2>/dev/null || fail "make run exited before serving"
  [ "$SECONDS" -lt "$deadline" ] || fail "no answer on $base/requests/fi/ within 600 s"
  sleep 2
done

page() {  # page PATH TEXT: PATH answers 200 and contains TEXT
  local body
  body=$(curl -fsS "$base$1") || fail "GET $1 failed"
  grep -qF -- "$2" <<<"$body" || fail "GET $1 does not contain '$2'"
}
page / '<html'
page /fi/ 'lang="fi"'
page /requests/fi/new/access '<form'
page /requests/sv/ 'lang="sv"'
page /requests/en/ 'lang="en"'
page /.well-known/seloste/receipt-key.pem 'BEGIN PUBLIC KEY'
pdfs=$(find "$work/site" -name '*.pdf' | wc -l)
[ "$pdfs" -gt 0 ] || fail "the site has no PDFs"
grep -q 'one-time password' "$log" || fail "no staff password printed"

# Ctrl-C: the whole foreground group gets SIGINT; everything must be gone within 15 s.
kill -INT -- -"$leader"
for _ in $(seq 30); do
  pgrep -g "$leader" >/dev/null || break
  sleep 0.5
done
if pgrep -g "$leader" >/dev/null; then
  ps -o pid,stat,args -g "$leader" >&2 || true
  fail "processes left running after Ctrl-C"
fi
echo "smoke-run: ok ($pdfs PDFs, / and the request forms in fi, sv, en served, stopped cleanly)"
