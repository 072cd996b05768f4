#!/usr/bin/env bash
# What `make bench` needs beyond the tests: wrk (Debian) for the load test in bench/load.py.
set -euo pipefail
command -v wrk >/dev/null 2>&1 && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "wrk is missing (sudo apt-get install wrk): bench/load.py will be skipped" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
