#!/bin/sh
# Installs the Debian packages planform needs to build, run and test, if any is missing.
# Called by `make demo` and `make test`; does nothing when everything is present. Extra package
# names on the command line are added (`make fuzz` asks for clang and its fuzzer runtime).
set -eu
PKGS="build-essential pkg-config libhpdf-dev libxml2-dev libxml2-utils libicu-dev libfontconfig-dev \
libharfbuzz-dev fonts-ipaexfont fonts-ipamj-mincho poppler-utils qpdf libqpdf-dev zlib1g-dev \
fontconfig strace valgrind python3 time man-db groff-base libmicrohttpd-dev libdeflate-dev libssl-dev openssl wrk curl $*"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "planform: missing Debian packages:$missing" >&2
    echo "planform: run as root, or: sudo apt-get install$missing" >&2
    exit 1
fi
echo "planform: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
