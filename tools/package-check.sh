#!/bin/bash
# The Debian package installed into a clean Debian 12 root and started there:
#   tools/package-check.sh build/dossier-exchange_*.deb      (make package-check)
# mmdebstrap builds a minimal bookworm root from Debian's mirror with the
# package and the dependencies apt resolves for it (postinst runs: the
# "dossier" user, /var/lib/dossier); dossierd then runs in that root as that
# user with the packaged /etc/dossier/dossierd.conf, must answer /readyz,
# serve the packaged web app, back itself up online into /var/backups/dossier,
# and exit 0 on SIGTERM. Needs root and
# Debian's mirror, takes minutes: opt-in, not part of `make test` or CI.
set -euo pipefail

deb=$(realpath "${1:?usage: tools/package-check.sh PACKAGE.deb}")
[ "$(id -u)" = 0 ] || { echo "package-check: needs root (mmdebstrap, chroot)" >&2; exit 2; }
command -v mmdebstrap >/dev/null || { echo "package-check: needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 2; }

root=$(mktemp -d /tmp/dossier-package-check-XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  mountpoint -q "$root/proc" && umount "$root/proc"
  rm -rf "$root"
}
trap cleanup EXIT

started=$(date +%s)
echo "package-check: mmdebstrap bookworm with $(basename "$deb") into $root"
# The root must be empty for mmdebstrap. The .deb is copied in and installed
# by apt inside the root (a path outside it is not visible to dpkg there).
rmdir "$root"
mmdebstrap --variant=apt \
  --customize-hook="copy-in $deb /tmp" \
  --customize-hook="chroot \"\$1\" apt-get install --yes --no-install-recommends /tmp/$(basename "$deb")" \
  --customize-hook='rm -f "$1"/tmp/*.deb' \
  bookworm "$root"
echo "package-check: root built in $(( $(date +%s) - started )) s, $(du -sm "$root" | cut -f1) MiB"

test -x "$root/usr/bin/dossierd"
test -f "$root/usr/share/dossier-exchange/web/index.html" || { echo "package-check: FAILED: no web app in the package" >&2; exit 1; }
test -f "$root/lib/systemd/system/dossierd.service"
chroot "$root" getent passwd dossier >/dev/null || { echo "package-check: FAILED: postinst made no dossier user" >&2; exit 1; }
[ "$(chroot "$root" stat -c '%U %a' /var/lib/dossier)" = "dossier 700" ] || { echo "package-check: FAILED: /var/lib/dossier" >&2; exit 1; }

# /proc: dossierd finds its web app through /proc/self/exe.
mount -t proc proc "$root/proc"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chroot "$root" setpriv --reuid=dossier --regid=dossier --init-groups \
  /usr/bin/dossierd serve --config /etc/dossier/dossierd.conf --listen "127.0.0.1:$port" \
  >"$root/tmp/dossierd.out" 2>"$root/tmp/dossierd.err" &
pid=$!
ready=
for _ in $(seq 1 100); do
  if ready=$(curl -fsS "http://127.0.0.1:$port/readyz" 2>/dev/null); then break; fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "package-check: FAILED: no answer on /readyz" >&2
  cat "$root/tmp/dossierd.out" "$root/tmp/dossierd.err" >&2
  exit 1
fi
echo "package-check: /readyz: $ready"
echo "$ready" | grep -q '"ready"'
curl -fsS "http://127.0.0.1:$port/" | grep -qi '<html' || { echo "package-check: FAILED: / is not the web app" >&2; exit 1; }
test -s "$root/var/lib/dossier/operator.token"
# An online backup through the running node, into the packaged backup folder.
chroot "$root" setpriv --reuid=dossier --regid=dossier --init-groups \
  /usr/bin/dossierd backup --data /var/lib/dossier --to /var/backups/dossier/package-check
test -s "$root/var/backups/dossier/package-check/checkpoint.note" || { echo "package-check: FAILED: no online backup" >&2; exit 1; }
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" = 0 ] || { echo "package-check: FAILED: exit status $status after SIGTERM" >&2; exit 1; }
echo "package-check: OK in $(( $(date +%s) - started )) s (installed, /readyz ready, web app served, online backup, SIGTERM exit 0)"
