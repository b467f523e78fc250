#!/bin/sh
# Installs what ctview needs to build and test on Debian (only what is missing), then builds it in
# build/. Safe to run again: it does nothing that is already done. Extra Debian packages to install
# may be given as arguments (tests/run.sh asks for the fuzzing and checking tools).
set -e
cd "$(dirname "$0")/.."
# one package a line: several changes add packages at once
packages="$(echo "
    gcc
    meson
    ninja-build
    pkg-config
    libncurses-dev
    libcjson-dev
    zlib1g-dev
    libbsd-dev
    tmux
    python3
    gzip
    jq
    tzdata
    libdeflate-dev
    liblz4-dev
    libyaml-dev
    libpcre2-dev
    libcurl4-openssl-dev
") $*"
# node and npm (the SQL tests' engine): a machine may have them from elsewhere than Debian, whose npm
# then cannot be installed beside them
command -v node >/dev/null || packages="$packages nodejs"
command -v npm >/dev/null || packages="$packages npm"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi
[ -d build ] || meson setup build >/dev/null
ninja -C build >/dev/null
echo "setup: built build/ctview"
