#!/bin/sh
# Runs the end-to-end script with the system python, where python3-potr and
# pycryptodome live (not a pyenv python3 that may come first on PATH).
exec /usr/bin/python3 "$@"
