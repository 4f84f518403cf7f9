#!/usr/bin/python3
"""Fits microtc's instruction cost model (targets/cost_model.h) to instruction counts measured
under QEMU, and writes targets/cost_tables.cpp.

Per target and per runtime kernel: instructions ~ fixed + a*MACs + b*input elements + c*output
elements, by non-negative least squares on every layer of the measured models (`microtc run
--per-layer`). MicroT's exit heads (pool, linear layer, softmax) are measured the same way, by
`microtc run --microt --per-layer` on the Fashion-MNIST fixture at each of its split points.
Kernels seen in fewer than three layers fall back to a model fitted on all layers together.

Prints, per model, the estimated whole-model instructions against the measured ones, the estimate
coming from a fit that left that model out (how well the model predicts a network it has not seen).

    /usr/bin/python3 tools/fit_cost_model.py [--microtc build/microtc] [--quick]

Uses the benchmark models when they exist (benchmarks/models/make_benchmark_models.py makes them)
and the committed fixtures always. --quick: the fixtures only (for checking the script).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ["cortex-m4", "cortex-m7"]
HEAD = "mtc_microt_head"
MIN_LAYERS = 3
FIX = os.path.join(ROOT, "tests", "fixtures")
FM = os.path.join(FIX, "fashion_mnist")


def models(quick):
    out = []
    bm = os.path.join(ROOT, "benchmarks", "models")
    if not quick:
        for name in ["resnet8", "dscnn", "mobilenetv1_025_vww", "fc_autoencoder", "mcunet_in3_like",
                     "proxyless_w03_like"]:
            onnx = os.path.join(bm, name + ".onnx")
            if os.path.exists(onnx):
                out.append((name, onnx, os.path.join(bm, name + ".calib.npy")))
    for name in ["kws_dscnn", "resnet_small", "mbv2_tiny", "concat_se_hswish"]:
        out.append(("fixture_" + name, os.path.join(FIX, "models", name + ".onnx"),
                    os.path.join(FIX, "models", name + ".input.npy")))
    for name in ["fmnist_cnn_a", "fmnist_cnn_b"]:
        out.append((name, os.path.join(FM, name + ".onnx"), os.path.join(FM, "calib_1000.npy")))
    return out


def sweep_models(tmp):
    """Single layers of every common kind over small to large sizes (ONNX, float, random weights):
    the networks above are large, a fit on them alone overprices small layers."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(5)
    out = []

    def save(name, nodes, x_shape, y_name, inits):
        graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                                  [helper.make_tensor_value_info(y_name, TensorProto.FLOAT, None)],
                                  [numpy_helper.from_array(v.astype(np.float32), k) for k, v in inits.items()])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        path = os.path.join(tmp, name + ".onnx")
        onnx.save(model, path)
        calib = os.path.join(tmp, name + ".calib.npy")
        np.save(calib, rng.standard_normal((4, *x_shape[1:])).astype(np.float32))
        out.append(("sweep_" + name, path, calib))

    def conv(name, cin, cout, hw, k, stride, group):
        w = rng.standard_normal((cout, cin // group, k, k)) * np.sqrt(2.0 / (cin // group * k * k))
        nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[k, k], strides=[stride, stride],
                                  pads=[k // 2] * 4, group=group),
                 helper.make_node("Relu", ["c"], ["y"])]
        save(name, nodes, [1, cin, hw, hw], "y", {"w": w, "b": rng.standard_normal(cout) * 0.1})

    for cin, cout, hw in [(4, 8, 4), (8, 16, 8), (16, 16, 16), (16, 32, 8), (32, 64, 4), (64, 64, 8), (8, 8, 32),
                          (32, 32, 16), (8, 8, 4), (16, 8, 2), (96, 24, 8), (24, 144, 8)]:
        conv(f"pw_{cin}_{cout}_{hw}", cin, cout, hw, 1, 1, 1)
    for cin, cout, hw, s in [(1, 8, 8, 1), (3, 8, 16, 1), (8, 16, 8, 1), (16, 16, 16, 1), (16, 32, 4, 1),
                             (8, 8, 32, 1), (8, 16, 8, 2), (16, 32, 16, 2), (3, 16, 32, 2), (32, 32, 8, 2),
                             (32, 32, 4, 1), (16, 16, 4, 2), (64, 64, 4, 1)]:
        conv(f"c3_{cin}_{cout}_{hw}_s{s}", cin, cout, hw, 3, s, 1)
    for c, hw, k, s in [(8, 8, 3, 1), (16, 16, 3, 1), (32, 4, 3, 1), (64, 8, 3, 1), (16, 16, 3, 2), (32, 8, 3, 2),
                        (16, 8, 5, 1), (48, 16, 5, 1), (16, 16, 5, 2), (16, 8, 7, 1), (32, 16, 7, 2),
                        (8, 32, 3, 1), (96, 4, 3, 1), (24, 32, 5, 2), (64, 8, 5, 2), (8, 16, 5, 1), (24, 16, 7, 1),
                        (8, 32, 7, 1), (16, 32, 7, 2)]:
        conv(f"dw{k}_{c}_{hw}_s{s}", c, c, hw, k, s, c)
    for n_in, n_out in [(16, 10), (64, 10), (64, 64), (256, 32), (640, 128)]:
        w = rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
        save(f"fc_{n_in}_{n_out}", [helper.make_node("Gemm", ["x", "w", "b"], ["y"])], [1, n_in], "y",
             {"w": w, "b": rng.standard_normal(n_out) * 0.1})
    for c, hw in [(8, 8), (16, 16), (32, 4), (8, 32)]:
        save(f"maxpool_{c}_{hw}", [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2])],
             [1, c, hw, hw], "y", {})
        save(f"gap_{c}_{hw}", [helper.make_node("GlobalAveragePool", ["x"], ["y"])], [1, c, hw, hw], "y", {})
        w = rng.standard_normal((c, c, 1, 1)) * np.sqrt(2.0 / c)
        save(f"add_{c}_{hw}", [helper.make_node("Conv", ["x", "w"], ["c"], kernel_shape=[1, 1]),
                               helper.make_node("Add", ["c", "x"], ["y"])], [1, c, hw, hw], "y", {"w": w})
    return out


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("fit_cost_model: failed:\n" + " ".join(cmd) + "\n" + r.stdout[-3000:])
    return r.stdout


def layer_rows(microtc, tmp, target, name, onnx, calib):
    one = os.path.join(tmp, name + ".one.npy")
    np.save(one, np.load(calib)[:1])
    rep = os.path.join(tmp, f"{name}.{target}.json")
    run([microtc, "run", onnx, "--quantize", "int8", "--calib", calib, "--input", one, "--output",
         os.path.join(tmp, "y.npy"), "--target", target, "--per-layer", "--report", rep])
    return json.load(open(rep))["layers"]


def head_rows(microtc, tmp, target):
    """Exit heads of every split of the Fashion-MNIST CNN fixture (part heads of many sizes, the full head)."""
    x = np.load(os.path.join(FM, "test_1000.npy"))
    y = np.load(os.path.join(FM, "test_1000_labels.npy"))
    train, test = os.path.join(tmp, "fm_train.npz"), os.path.join(tmp, "fm_test.npz")
    np.savez(train, x=x[:300], y=y[:300])
    np.savez(test, x=x[300:340], y=y[300:340])
    onnx, calib = os.path.join(FM, "fmnist_cnn_a.onnx"), os.path.join(FM, "calib_1000.npy")
    base = [microtc, "run", onnx, "--quantize", "int8", "--calib", calib, "--microt", "--task", "fm=" + train,
            "--input", test, "--target", target, "--per-layer"]
    out = os.path.join(tmp, "mt")
    run(base + ["--output", os.path.join(out, "r.npy"), "--report", os.path.join(out, "r.json")])
    splits = [c["tensor"] for c in json.load(open(os.path.join(out, "microt_report.json")))["candidates"]]
    rows = []
    for k, split in enumerate(splits):
        rep = os.path.join(out, f"split{k}.json")
        run(base + ["--split", split, "--ratio", "0.5", "--output", os.path.join(out, "r.npy"), "--report", rep])
        rows += [l for l in json.load(open(rep))["layers"] if l["kernel"] == HEAD]
    return rows


def features(rows):
    return np.array([[1.0, l["macs"], l["input_elements"], l["output_elements"], l["patch_elements"]] for l in rows],
                    dtype=np.float64)


def nnls(a, b):
    """Non-negative least squares by dropping the most negative coefficient until none is left,
    each column scaled to unit norm first (features span eight orders of magnitude)."""
    scale = np.linalg.norm(a, axis=0)
    scale[scale == 0] = 1
    a = a / scale
    active = [j for j in range(a.shape[1]) if np.any(a[:, j])]
    while True:
        coef = np.zeros(a.shape[1])
        if active:
            sol, *_ = np.linalg.lstsq(a[:, active], b, rcond=None)
            coef[active] = sol
        if (coef >= 0).all():
            return coef / scale
        active.remove(int(np.argmin(coef)))


def fit(rows):
    """Per kernel and window variant, per kernel, and `other` from every row; relative errors weigh
    small and large layers alike."""
    groups = {}
    for l in rows:
        groups.setdefault(l["kernel"], []).append(l)
        if l.get("variant"):
            groups.setdefault(l["kernel"] + ":" + l["variant"], []).append(l)

    def one(rs, fixed=None):
        a, b = features(rs), np.array([l["instructions"] for l in rs], dtype=np.float64)
        w = 1.0 / np.maximum(b, 1.0)
        if fixed is None:
            coef = nnls(a * w[:, None], b * w)
        else:  # the kernel's fixed cost: a few large layers of one window must not set it
            coef = np.concatenate([[fixed], nnls(a[:, 1:] * w[:, None], (b - fixed) * w)])
        err = np.abs(a @ coef - b) / np.maximum(b, 1.0)
        return {"coef": coef.tolist(), "layers": len(rs), "max_error": float(err.max())}

    fitted = {k: one(rs) for k, rs in sorted(groups.items()) if len(rs) >= MIN_LAYERS and ":" not in k}
    for k, rs in sorted(groups.items()):
        kernel = k.split(":")[0]
        if ":" in k and len(rs) >= MIN_LAYERS and kernel in fitted:
            fitted[k] = one(rs, fitted[kernel]["coef"][0])
    return dict(sorted(fitted.items())), one(rows)


def predict(fitted, other, l):
    f = fitted.get(l["kernel"] + ":" + l["variant"]) if l.get("variant") else None
    c = (f or fitted.get(l["kernel"], other))["coef"]
    return c[0] + c[1] * l["macs"] + c[2] * l["input_elements"] + c[3] * l["output_elements"] + \
        c[4] * l["patch_elements"]


def write_tables(path, results, described):
    lines = ["// Generated by tools/fit_cost_model.py from instruction counts measured under QEMU. Do not edit.",
             "// Regenerate: /usr/bin/python3 tools/fit_cost_model.py (after kernel changes).",
             '#include "targets/cost_model.h"', "", "namespace mtc {", "",
             "const std::vector<CostModel> &fitted_cost_models() {",
             "  static const std::vector<CostModel> models = {"]

    def entry(kernel, f):
        c = f["coef"]
        return (f'{{"{kernel}", {c[0]:.6g}, {c[1]:.6g}, {c[2]:.6g}, {c[3]:.6g}, {c[4]:.6g}, {f["layers"]}, '
                f'{f["max_error"]:.3g}}}')

    for target, (fitted, other) in results.items():
        lines.append(f'      {{"{target}",')
        lines.append(f'       "{described}",')
        lines.append("       {")
        for k, f in fitted.items():
            lines.append(f"           {entry(k, f)},")
        lines.append("       },")
        lines.append(f"       {entry('', other)}}},")
    lines += ["  };", "  return models;", "}", "", "}  // namespace mtc", ""]
    open(path, "w").write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--microtc", default=os.path.join(ROOT, "build", "microtc"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "targets", "cost_tables.cpp"))
    ap.add_argument("--rows", help="keep the measured layers in this JSON file and reuse them when it exists")
    args = ap.parse_args()
    rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                         text=True).stdout.strip()
    tmp_models = tempfile.TemporaryDirectory()
    ms = models(args.quick) + sweep_models(tmp_models.name)
    measured = json.load(open(args.rows)) if args.rows and os.path.exists(args.rows) else {}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for target in TARGETS:
            tm = measured.setdefault(target, {"models": {}, "heads": None})
            for name, onnx, calib in ms:
                if name not in tm["models"]:
                    tm["models"][name] = layer_rows(args.microtc, tmp, target, name, onnx, calib)
            if tm["heads"] is None:
                tm["heads"] = head_rows(args.microtc, tmp, target)
            if args.rows:
                json.dump(measured, open(args.rows, "w"))
            per_model = {name: tm["models"][name] for name, _, _ in ms}
            heads = tm["heads"]
            rows = [l for rs in per_model.values() for l in rs] + heads
            results[target] = fit(rows)
            print(f"{target}: {len(rows)} layers ({len(heads)} exit heads), {len(results[target][0])} kernels fitted")
            for k, f in results[target][0].items():
                print(f"  {k or '(inline)':40s} {f['layers']:4d} layers, largest error {100 * f['max_error']:.1f}%")
            print("  whole model, fitted without it: estimated / measured instructions")
            for name, rs in per_model.items():
                others = [l for n, r in per_model.items() if n != name for l in r] + heads
                fitted, other = fit(others)
                est = sum(predict(fitted, other, l) for l in rs)
                meas = sum(l["instructions"] for l in rs)
                print(f"  {name:28s} {est:14.0f} {meas:12d}  {100 * (est / meas - 1):+6.1f}%")
    described = "QEMU per-layer counts, microtc " + rev + ": " + ", ".join(n for n, _, _ in ms if not n.startswith("sweep_")) + \
        f", {sum(n.startswith('sweep_') for n, _, _ in ms)} single-layer sweep models" + \
        ", exit heads of fmnist_cnn_a"
    write_tables(args.out, results, described)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
