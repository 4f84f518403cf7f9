#!/usr/bin/python3
"""MicroT on the benchmark extractors, measured under QEMU: benchmarks/microt/report.md (+ .json).

For each extractor trained by train_extractors.py (MCUNet-in3-like and ProxylessNAS-w0.3-like on
Fashion-MNIST) and each Cortex-M target: `microtc run --microt` compiles it to int8, searches the
split (heads on 800 of the task's 1000 training images, thresholds on the other 200), then runs
300 test images through the generated NAME_infer and through the whole model on the QEMU board.
Reported: accuracy of the full model's head and of the adaptive model, exit share, mean
instructions and energy per inference (the target's board profile), at ratios 0.5 and 0.75,
against MicroT's published figures (arXiv:2403.08040 v1: up to -29.13% energy against full-model
inference, about -14.47% at the standard ratio 0.5).

    /usr/bin/python3 benchmarks/microt/run_microt_benchmark.py [--microtc build/microtc] [--quick]
--quick: one model, the M4, ratio 0.5 (checks the script).
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(HERE, "work")
MODELS = [("mcunet_in3_fmnist", "MCUNet-in3-like"), ("proxyless_w03_fmnist", "ProxylessNAS-w0.3-like")]
PAPER = "MicroT (arXiv:2403.08040 v1): up to -29.13% energy against full-model inference, about -14.47% at ratio 0.5"


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        sys.exit("run_microt_benchmark: failed:\n" + " ".join(cmd) + "\n" + r.stdout[-3000:])
    return r.stdout


def measure(microtc, name, target, ratio, split, out):
    os.makedirs(out, exist_ok=True)
    rep = os.path.join(out, "run.json")
    cmd = [microtc, "run", os.path.join(WORK, name + ".onnx"), "--quantize", "int8", "--calib",
           os.path.join(WORK, name + ".calib.npy"), "--microt", "--task", "fmnist=" + os.path.join(WORK, name + ".task.npz"),
           "--input", os.path.join(WORK, name + ".test.npz"), "--output", os.path.join(out, "res.npy"), "--target", target,
           "--ratio", str(ratio), "--report", rep]
    if split:
        cmd += ["--split", split]
    t0 = time.monotonic()
    log = run(cmd)
    search = json.load(open(os.path.join(out, "microt_report.json")))
    r = json.load(open(rep))
    r["search"] = {"chosen": search["chosen"], "cost_unit": search["cost_unit"],
                   "full_accuracy_val": search["tasks"][0]["full_accuracy"],
                   "candidates": len(search["candidates"])}
    chosen = next((c for c in search["candidates"] if c["tensor"] == search["chosen"]), None)
    r["split_share_of_extractor"] = chosen["part_cost"] / search["extractor_cost"] if chosen else None
    r["seconds"] = round(time.monotonic() - t0, 1)
    r["log"] = [l for l in log.splitlines() if l.startswith("microt:")]
    return r


def full_model_accuracy(microtc, name, target, split, out):
    """The full head alone on the test images: ratio 0 (no sample exits)."""
    return measure(microtc, name, target, 0.0, split, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--microtc", default=os.path.join(ROOT, "build", "microtc"))
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    missing = [n for n, _ in MODELS if not os.path.exists(os.path.join(WORK, n + ".onnx"))]
    if missing:
        sys.exit("run_microt_benchmark: no " + ", ".join(missing) + " in " + WORK +
                 " (run benchmarks/microt/train_extractors.py first)")
    rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                         text=True).stdout.strip()
    models = MODELS[:1] if args.quick else MODELS
    targets = ["cortex-m4"] if args.quick else ["cortex-m4", "cortex-m7"]
    ratios = [0.5] if args.quick else [0.5, 0.75]
    results = []
    for name, label in models:
        trained = json.load(open(os.path.join(WORK, name + ".json")))
        for target in targets:
            # the split the search picks at ratio 0.5, then every ratio on it
            base = measure(args.microtc, name, target, 0.5, None, os.path.join(WORK, "out", name, target, "r0.5"))
            split = base["search"]["chosen"]
            rows = {0.5: base}
            for r in ratios:
                if r not in rows:
                    rows[r] = measure(args.microtc, name, target, r, split,
                                      os.path.join(WORK, "out", name, target, f"r{r}"))
            full = full_model_accuracy(args.microtc, name, target, split, os.path.join(WORK, "out", name, target, "r0"))
            results.append({"model": name, "label": label, "target": target, "split": split,
                            "float_accuracy": trained["float_accuracy"], "full_head_accuracy": full["accuracy"],
                            "ratios": {str(r): rows[r] for r in ratios}})
            print(f"{name} {target}: split {split}, full head {full['accuracy']:.3f}; " + ", ".join(
                f"r{r}: acc {rows[r]['accuracy']:.3f} exit {rows[r]['exit_share']:.2f} energy "
                f"{rows[r]['energy_uj_per_inference'] / rows[r]['whole_model_energy_uj_per_inference'] - 1:+.1%}"
                for r in ratios), flush=True)

    md = ["# MicroT on the benchmark extractors", "",
          f"Measured with microtc {rev} by `/usr/bin/python3 benchmarks/microt/run_microt_benchmark.py` "
          "(after `benchmarks/microt/train_extractors.py`). Exact executed instructions under QEMU; energy = "
          "instructions x the board profile of the target (targets/target.cpp: run-mode current per MHz from "
          "the chips' datasheets, 3.3 V, one cycle an instruction), so energy ratios are instruction ratios.", "",
          "Task: Fashion-MNIST scaled to the extractors' 64x64 RGB input. Extractors trained with a linear "
          "classifier (2 epochs on 12,000 images; no distillation), int8 by microtc on 200 training images. "
          "Heads: 800 of 1,000 other training images; thresholds from the remaining 200; figures on 300 test "
          "images. The full head alone = ratio 0 (nothing exits).", "",
          "Goal from the paper: " + PAPER + ".", "",
          "| extractor | target | split (share of extractor instructions) | ratio | accuracy (full head) | "
          "exit share | instructions / inference (whole model) | energy uJ (whole model) | energy vs whole |",
          "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for res in results:
        for r, row in res["ratios"].items():
            share = row["split_share_of_extractor"]
            md.append(f"| {res['label']} (float {res['float_accuracy']:.1%}) | {res['target']} | `{res['split']}` "
                      f"({share:.0%}) | {float(r):.2f} | {row['accuracy']:.1%} ({res['full_head_accuracy']:.1%}) | "
                      f"{row['exit_share']:.0%} | {row['instructions_per_inference']:,.0f} "
                      f"({row['whole_model_instructions_per_inference']:,.0f}) | "
                      f"{row['energy_uj_per_inference']:,.0f} ({row['whole_model_energy_uj_per_inference']:,.0f}) | "
                      f"{row['energy_uj_per_inference'] / row['whole_model_energy_uj_per_inference'] - 1:+.1%} |")
    md.append("")
    out = os.path.join(HERE, "report_quick" if args.quick else "report")
    open(out + ".md", "w").write("\n".join(md) + "\n")
    json.dump({"microtc": rev, "results": results}, open(out + ".json", "w"), indent=1)
    print("wrote", out + ".md")


if __name__ == "__main__":
    main()
