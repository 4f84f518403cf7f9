#!/usr/bin/python3
"""Trains the benchmark extractors (MCUNet-in3-like, ProxylessNAS-w0.3-like; benchmarks/models/
make_benchmark_models.py) on a real labelled task, for MicroT's figures on them.

The task is Fashion-MNIST (Debian's dataset-fashion-mnist): 28x28 grey images scaled to the
extractors' 64x64 RGB input (bilinear, the grey channel repeated, normalized with the training
set's mean and deviation). Each extractor is trained with a linear classifier on its pooled
features (plain supervised training: MicroT's distillation recipe is a later issue), batch norm
folded, and exported without the classifier: the ONNX model's output is the pooled feature vector.

Writes into benchmarks/microt/work/ (not committed): NAME.onnx, NAME.calib.npy (200 training
images), NAME.task.npz (x, y: 1000 training images the heads train on), NAME.test.npz (x, y: 300
test images), NAME.json (float accuracy of the trained classifier on 2000 test images).

    /usr/bin/python3 benchmarks/microt/train_extractors.py [--train 12000] [--epochs 2]
Needs python3-torch and dataset-fashion-mnist; a few minutes per model on 2 cores.
"""
import argparse
import importlib.util
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(HERE, "work")


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


bench = load_module("make_benchmark_models", os.path.join(ROOT, "benchmarks", "models", "make_benchmark_models.py"))
fm = load_module("eval_accuracy", os.path.join(ROOT, "tests", "fixtures", "fashion_mnist", "eval_accuracy.py"))

MODELS = [("mcunet_in3_fmnist", bench.mcunet_in3_like, 11), ("proxyless_w03_fmnist", bench.proxyless_w03_like, 12)]


def to_input(images, mean, std):
    """uint8 (N, 1, 28, 28) -> float32 (N, 3, 64, 64), normalized."""
    x = torch.from_numpy(images).float() / 255.0
    x = F.interpolate(x, size=(64, 64), mode="bilinear", align_corners=False)
    return ((x - mean) / std).repeat(1, 3, 1, 1).contiguous()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", type=int, default=12000, help="training images (of 60000)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--only", help="train one model by name")
    args = ap.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    os.makedirs(WORK, exist_ok=True)
    open(os.path.join(WORK, ".gitignore"), "w").write("*\n")
    train_x, train_y = fm.load_split("train")
    test_x, test_y = fm.load_split("t10k")
    rng = np.random.RandomState(2403)  # MicroT's arXiv number: any fixed seed
    order = rng.permutation(len(train_y))
    fit, heads, calib = order[:args.train], order[args.train:args.train + 1000], order[args.train + 1000:
                                                                                       args.train + 1200]
    test_order = rng.permutation(len(test_y))
    eval_idx, test_idx = test_order[:2000], test_order[2000:2300]
    mean = float(train_x[fit].mean() / 255.0)
    std = float(train_x[fit].std() / 255.0)

    for name, ctor, seed in MODELS:
        if args.only and name != args.only:
            continue
        torch.manual_seed(seed)
        extractor = ctor()
        model = nn.Sequential(extractor, nn.Linear(extractor.out_dim, 10))
        opt = torch.optim.Adam(model.parameters(), lr=2e-3)
        steps = args.epochs * (len(fit) // 64)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=steps)
        t0 = time.monotonic()
        model.train()
        step = 0
        for epoch in range(args.epochs):
            perm = np.random.RandomState(seed + epoch).permutation(fit)
            for b in range(len(fit) // 64):
                idx = perm[b * 64:(b + 1) * 64]
                x = to_input(train_x[idx], mean, std)
                loss = F.cross_entropy(model(x), torch.from_numpy(train_y[idx]))
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                if step % 50 == 0:
                    print(f"{name}: epoch {epoch} step {step}/{steps} loss {loss.item():.3f} "
                          f"({time.monotonic() - t0:.0f} s)", flush=True)
        # the benchmark's BN layers average every batch they see (momentum None): statistics of the
        # final weights, from 40 batches of training images
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.reset_running_stats()
        with torch.no_grad():
            for b in range(40):
                model(to_input(train_x[fit[b * 64:(b + 1) * 64]], mean, std))
        model.eval()
        bench.fold_bn(extractor)
        with torch.no_grad():
            logits = torch.cat([model(to_input(test_x[eval_idx[i:i + 200]], mean, std))
                                for i in range(0, len(eval_idx), 200)])
        acc = float((logits.argmax(1).numpy() == test_y[eval_idx]).mean())
        print(f"{name}: float accuracy {acc:.4f} on {len(eval_idx)} test images ({time.monotonic() - t0:.0f} s)")
        dummy = to_input(test_x[:1], mean, std)
        onnx.save(bench.export(extractor, dummy), os.path.join(WORK, name + ".onnx"))
        np.save(os.path.join(WORK, name + ".calib.npy"), to_input(train_x[calib], mean, std).numpy())
        np.savez(os.path.join(WORK, name + ".task.npz"), x=to_input(train_x[heads], mean, std).numpy(),
                 y=train_y[heads])
        np.savez(os.path.join(WORK, name + ".test.npz"), x=to_input(test_x[test_idx], mean, std).numpy(),
                 y=test_y[test_idx])
        json.dump({"name": name, "float_accuracy": acc, "eval_images": len(eval_idx), "train_images": len(fit),
                   "epochs": args.epochs, "seconds": round(time.monotonic() - t0), "params":
                   int(sum(p.numel() for p in extractor.parameters()))},
                  open(os.path.join(WORK, name + ".json"), "w"), indent=1)


if __name__ == "__main__":
    main()
