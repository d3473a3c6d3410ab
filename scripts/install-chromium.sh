#!/usr/bin/env bash
# Installs Debian's Chromium and its WebDriver for the browser tests (wasm-bindgen-test,
# Playwright). Quick no-op when both are already there.
set -euo pipefail

if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver
