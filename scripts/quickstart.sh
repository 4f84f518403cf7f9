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

# The same model quantized to int8 (calibrated on a few sample inputs), run on a Cortex-M4 board in
# QEMU: outputs, exact instructions per inference, flash and RAM.
build/microtc compile examples/models/kws_dscnn.onnx --name kws_int8 --quantize int8 \
    --calib examples/models/kws_dscnn.samples.npy --target cortex-m4 -o build/example_kws_int8
build/microtc run examples/models/kws_dscnn.onnx --quantize int8 --calib examples/models/kws_dscnn.samples.npy \
    --input examples/models/kws_dscnn.samples.npy --output build/example_kws_int8/outputs.npy \
    --target cortex-m4 --report build/example_kws_int8/report.json
cat build/example_kws_int8/report.json
