#!/usr/bin/env bash
# What pip needs to build requirements.txt on a fresh machine: python-ldap (django-auth-ldap)
# compiles against OpenLDAP's and SASL's headers. Installed from Debian only when missing
# (needs root); `make setup` runs this before pip.
set -euo pipefail
need=()
[ -e /usr/include/ldap.h ] || need+=(libldap2-dev)
[ -e /usr/include/sasl/sasl.h ] || need+=(libsasl2-dev)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2
    exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
