#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install, build, compile the example model to C,
# build the example firmware-style program against it, and run it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
out=build/example_kws
build/microtc inspect examples/models/kws_dscnn.onnx
build/microtc compile examples/models/kws_dscnn.onnx --name kws -o "$out"
cc -std=c99 -O2 -Wall -Wextra -Werror -pedantic -I"$out" -o "$out/kws_demo" examples/host_demo/main.c "$out"/*.c -lm
"$out/kws_demo"
