#!/usr/bin/env bash
# Installs what desk needs to build and test from Debian's packages. Idempotent: when every
# package is already there it does nothing (no apt-get update, no network).
set -euo pipefail
packages=(g++ make cmake pkg-config git python3 ca-certificates
          libgit2-dev libsqlite3-dev libssl-dev libcli11-dev libtomlplusplus-dev libfmt-dev catch2
          libhowardhinnant-date-dev tzdata nlohmann-json3-dev libutf8proc-dev libgmime-3.0-dev msmtp python3-aiosmtpd python3-jsonschema bash-completion zsh fish tmux less
          chromium fonts-dejavu-core mandoc groff-base
          hyperfine fossil time
          clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "desk: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
