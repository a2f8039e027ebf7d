#!/bin/sh
# Runs an end-to-end script with the system python (Debian's), not a pyenv
# python3 that may come first on PATH.
exec /usr/bin/python3 "$@"
