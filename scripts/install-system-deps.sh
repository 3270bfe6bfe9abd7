#!/usr/bin/env bash
# Installs the Debian packages the project needs (CJK fonts, fast font subsetting for PDFs,
# poppler for PDF-to-image in tests, gettext for translation catalogues, Chromium for browser
# tests, PgBouncer for the deployment and its test, xmlsec1 for SAML: the command-line tool
# pysaml2's test IdP signs with, and the library with its OpenSSL engine and headers should pip ever
# have to build the python xmlsec binding from source). Installs only what is missing; does nothing
# when everything is present.
set -euo pipefail
packages=(gettext fonts-wqy-microhei fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium pgbouncer
  xmlsec1 libxmlsec1 libxmlsec1-openssl libxmlsec1-dev libxml2-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
