#!/usr/bin/env bash
# Installs the Debian packages PersonaX uses, once. Idempotent: does nothing when they are present.
# Called by `npm ci` (preinstall), `npm start` and `npm test`. Without root or apt the project still
# works: the numeric core falls back to portable TypeScript and says so.
set -u
packages=(libopenblas-dev liblapacke-dev pkg-config redis-server)
# The browser test of the HTML report (test/report/browser.test.ts) drives Debian's Chromium with playwright-core.
packages+=(chromium fonts-dejavu-core)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "personax: system packages missing (${missing[*]}); install them with apt-get for the fast numeric core." >&2
  exit 0
fi
echo "personax: installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -q >/dev/null 2>&1
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || echo "personax: could not install ${missing[*]}; continuing with the portable fallback." >&2
fi
exit 0
