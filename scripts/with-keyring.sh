#!/usr/bin/env bash
# Runs a command (e.g. vitest) with a private D-Bus session bus and a throwaway,
# unlocked gnome-keyring Secret Service, so keychain tests use the real
# libsecret path without touching the developer's own keyring.
#   scripts/with-keyring.sh npx vitest run
# Without dbus-run-session / gnome-keyring-daemon it fails under CI and, locally,
# warns and runs the command as is (the keytar test then skips and says why).
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

# Already inside a keyring session (nested npm scripts): just run.
if [ -n "${QUARRY_KEYRING_SESSION:-}" ]; then
  exec "$@"
fi

if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  if [ -n "${CI:-}" ]; then
    echo "with-keyring: dbus-run-session and gnome-keyring-daemon are required in CI (apt-get install dbus dbus-x11 gnome-keyring)" >&2
    exit 1
  fi
  echo "with-keyring: no dbus-run-session/gnome-keyring-daemon here; running without a Secret Service (keychain tests will skip)" >&2
  exec "$@"
fi

# Everything the keyring writes (its files and sockets) lives in a temp dir removed on exit.
keyring_home="$(mktemp -d "${TMPDIR:-/tmp}/quarry-keyring.XXXXXX")"
chmod 700 "$keyring_home"
trap 'rm -rf "$keyring_home"' EXIT
export QUARRY_KEYRING_HOME="$keyring_home"
export QUARRY_KEYRING_SESSION=1
status=0
dbus-run-session -- bash -c '
  set -euo pipefail
  mkdir -p "$QUARRY_KEYRING_HOME/data" "$QUARRY_KEYRING_HOME/runtime"
  chmod 700 "$QUARRY_KEYRING_HOME/runtime"
  # A random password for a keyring that lives only as long as this session;
  # printf is a builtin, so the password is piped on stdin and never in any argv.
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d " \n")"
  # In the foreground (backgrounded here) so that $! is the daemon and it can be stopped by its id at the end.
  printf "%s" "$password" | XDG_DATA_HOME="$QUARRY_KEYRING_HOME/data" XDG_RUNTIME_DIR="$QUARRY_KEYRING_HOME/runtime" \
    gnome-keyring-daemon --foreground --unlock --components=secrets >/dev/null &
  daemon=$!
  unset password
  trap "kill $daemon 2>/dev/null || true; wait $daemon 2>/dev/null || true" EXIT
  ready=""
  for _ in $(seq 1 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
      ready=1
      break
    fi
    sleep 0.1
  done
  if [ -z "$ready" ]; then
    echo "with-keyring: gnome-keyring-daemon did not provide the Secret Service within 10 s" >&2
    exit 1
  fi
  export QUARRY_SECRET_SERVICE=gnome-keyring
  "$@"
' with-keyring "$@" || status=$?
exit "$status"
