#!/usr/bin/env bash
# System parts the tests need, from Debian's packages: Chromium and its driver for the browser
# tests, poppler to render the Korean PDFs in a test (the font itself is in static/fonts),
# OpenLDAP for directory login, nginx for the tests of deploy/nginx.conf. Installed only when
# missing (needs root). No service is left running: the tests start their own slapd and nginx
# on free ports, and a Debian nginx on port 80 would only be in the way.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
# python-ldap builds against OpenLDAP and SASL; the directory tests start a real slapd.
[ -e /usr/include/ldap.h ] || need+=(libldap2-dev)
[ -e /usr/include/sasl/sasl.h ] || need+=(libsasl2-dev)
[ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapadd >/dev/null 2>&1 || need+=(ldap-utils)
# The nginx tests run the binary with their own prefix and config (jisik_portal/tests).
[ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2
    exit 1
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Deny service starts while installing (policy-rc.d exit 101: invoke-rc.d starts nothing), so
# the packages' postinst scripts leave no nginx on port 80 and no slapd on 389. An existing
# policy-rc.d (a container's) is kept as it was.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
fi
trap 'if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi' EXIT
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Where an init system started them anyway (no policy-rc.d honoured), stop and disable them.
for service in nginx slapd; do
    if [[ " ${need[*]} " == *" $service "* ]] && command -v systemctl >/dev/null 2>&1 \
        && systemctl is-active --quiet "$service" 2>/dev/null; then
        systemctl disable --now "$service" >/dev/null 2>&1 || true
    fi
done
