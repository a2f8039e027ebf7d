#!/bin/sh
# Runs the potr conformance script with the system python, where python3-potr lives.
exec /usr/bin/python3 "$@"
