#!/usr/bin/python3
"""Export the benchmark model set for microtc's performance work.

Models (untrained, random-but-realistic weights: speed and size benchmarks only, accuracy is meaningless):
  resnet8                MLPerf Tiny image classification ResNet-8, 1x3x32x32, layer for layer as the official
                         tiny_resnet8 .tflite (same conv/FC shapes, hence the same MACs).
  dscnn                  MLPerf Tiny keyword spotting DS-CNN, 1x1x49x10 MFCC, as the official .tflite.
  mobilenetv1_025_vww    MLPerf Tiny visual wake words MobileNetV1 alpha 0.25, 1x3x96x96, 2 classes.
  fc_autoencoder         MLPerf Tiny anomaly detection FC autoencoder, 1x640.
  mcunet_in3_like        MCUNet-in3-like feature extractor, 1x3x64x64 -> pooled 160-d vector.
  proxyless_w03_like     ProxylessNAS-Mobile w0.3-like feature extractor, 1x3x64x64 -> pooled 384-d vector.

Where the two NAS-like models come from (public facts used, and the guesses):
  proxyless_w03_like: block list of ProxylessNAS-Mobile as published with the ProxylessNAS paper (Cai et al.,
    ICLR 2019, arXiv:1812.00332) and re-implemented in pytorchcv's proxylessnas.py ("mobile" version):
    first conv 3x3/s2 32, MB1 3x3 16; stages 32 x4 (last two blocks are zero/skip layers, so 2 blocks)
    k=[5,3] e=[3,3]; 40 x4 k=[7,3,5,5] e=3; 80 x4 k=[7,5,5,5] e=[6,3,3,3]; 96 x4 k=5 e=[6,3,3,3];
    192 x4 k=7 e=[6,6,3,3]; 320 x1 k=7 e=6; 1x1 feature-mix conv 1280; ReLU6. Width 0.3 with OFA's
    make_divisible(., 8) (16, 8, 16, 16, 24, 32, 56, 96). Guess: the feature-mix conv is scaled too (1280*0.3
    = 384); with it, the model plus a 1000-class classifier has 0.70 M params and 36.8 M MACs at 176x176,
    against 0.75 M / 38.3 M published for proxyless-w0.3 in the MCUNet model zoo (mit-han-lab/mcunet README).
  mcunet_in3_like: MCUNet (Lin et al., NeurIPS 2020) searches MobileNetV2-style inverted-residual blocks,
    kernel {3,5,7}, expansion {3,4,6}, depth {2,3,4} per stage, over width-scaled MobileNetV2 stage widths.
    Public facts used: mcunet-in3 ("mcunet-320kb-1mb_imagenet") has a 16-channel first conv, a 160-d
    feature vector before the classifier, 0.74 M params and 81.8 M MACs at 176x176 (MCUNet model zoo README).
    Those match width 0.5 of (32,16,24,40,80,96,192,320) -> (16,8,16,24,40,48,96,160). The per-block kernel
    sizes, expansions and depths of the real model are NOT reproduced (its JSON config was not available);
    they were chosen inside the search space (small kernels early, 7x7 later, as in the paper's figure of
    the searched model) to match the published params and MACs: 0.743 M params and 80.3 M MACs at 176x176
    with a 1000-class classifier. Expansions may be 5 (the OFA space has {3,4,6}: a deviation).
  Both NAS-like models are exported at 64x64 (an MCU-sized input), without the classifier.

Weights: Kaiming-normal convs/FCs, BN gamma in [0.5,1.5), beta ~ N(0, 0.1); BN statistics are then
collected in train mode (cumulative average) over a few batches drawn like the calibration data, so every
channel sees a realistic mean/variance; then eval, BN folded into the preceding conv/FC by hand, and exported
with torch.onnx.export, opset 13, batch 1. Everything is seeded: reruns give identical files.

Outputs in this directory: NAME.onnx, NAME.calib.npy (32 float32 inputs, shape (32, *input_shape[1:])),
models.json (name, input shape, params, MACs counted here from the module structure, official figures).
The .onnx and .calib.npy files are generated artifacts (a few MB); they are not meant to be committed.

Run: /usr/bin/python3 benchmarks/models/make_benchmark_models.py [--microtc PATH/TO/microtc]
"""
import argparse
import io
import json
import math
import os
import re
import subprocess
import sys
import warnings

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
OPSET = 13
N_CALIB = 32
N_BN_BATCHES = 4
BN_BATCH = 32

warnings.filterwarnings("ignore")  # torch.onnx is chatty about constant folding


# ---------------------------------------------------------------------------------------------------------
# Building blocks. ConvBN / LinearBN keep the BN separate until fold_bn() merges it.
# ---------------------------------------------------------------------------------------------------------

class ConvBN(nn.Module):
    def __init__(self, cin, cout, k, stride=1, padding=None, groups=1, act="relu"):
        super().__init__()
        if padding is None:
            padding = (k[0] // 2, k[1] // 2) if isinstance(k, tuple) else k // 2
        self.conv = nn.Conv2d(cin, cout, k, stride, padding, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout, momentum=None)  # momentum None: cumulative average of the batches
        self.act = {"relu": nn.ReLU(), "relu6": nn.ReLU6(), None: nn.Identity()}[act]

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))


class LinearBN(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.fc = nn.Linear(cin, cout, bias=False)
        self.bn = nn.BatchNorm1d(cout, momentum=None)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.bn(self.fc(x)))


class ResBlock(nn.Module):
    """Keras-style ResNet-8 block: conv-bn-relu, conv-bn, (+ 1x1 projection when shape changes), relu."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.a = ConvBN(cin, cout, 3, stride)
        self.b = ConvBN(cout, cout, 3, 1, act=None)
        self.proj = nn.Conv2d(cin, cout, 1, stride) if (stride != 1 or cin != cout) else None

    def forward(self, x):
        s = x if self.proj is None else self.proj(x)
        return F.relu(self.b(self.a(x)) + s)


class ResNet8(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ConvBN(3, 16, 3)
        self.stages = nn.Sequential(ResBlock(16, 16, 1), ResBlock(16, 32, 2), ResBlock(32, 64, 2))
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = self.stages(self.stem(x))
        x = F.avg_pool2d(x, 8).flatten(1)
        return F.softmax(self.fc(x), dim=1)


class DsCnn(nn.Module):
    def __init__(self, ch=64, n_blocks=4, n_classes=12):
        super().__init__()
        # Official: 10x4/s2 'same' pads rows 4/5, cols 1/1. Symmetric (5,1) gives the same 25x5 output and
        # MACs (the extra top row only sees zeros differently).
        layers = [ConvBN(1, ch, (10, 4), 2, padding=(5, 1))]
        for _ in range(n_blocks):
            layers += [ConvBN(ch, ch, 3, groups=ch), ConvBN(ch, ch, 1)]
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(ch, n_classes)

    def forward(self, x):
        x = F.avg_pool2d(self.features(x), (25, 5)).flatten(1)
        return F.softmax(self.fc(x), dim=1)


class MobileNetV1(nn.Module):
    # (out channels at alpha 1, stride) of the 13 depthwise-separable blocks
    CFG = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]

    def __init__(self, alpha=0.25, n_classes=2):
        super().__init__()
        c = int(32 * alpha)
        layers = [ConvBN(3, c, 3, 2)]
        for cout, s in self.CFG:
            cout = int(cout * alpha)
            layers += [ConvBN(c, c, 3, s, groups=c), ConvBN(c, cout, 1)]
            c = cout
        self.features = nn.Sequential(*layers)
        self.fc = nn.Linear(c, n_classes)

    def forward(self, x):
        x = F.avg_pool2d(self.features(x), 3).flatten(1)  # 96 / 32 = 3x3 final map
        return F.softmax(self.fc(x), dim=1)


class FcAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        dims = [640, 128, 128, 128, 128, 8, 128, 128, 128, 128]
        self.body = nn.Sequential(*[LinearBN(a, b) for a, b in zip(dims[:-1], dims[1:])])
        self.out = nn.Linear(128, 640)

    def forward(self, x):
        return self.out(self.body(x))


def make_divisible(v, d=8):
    """OFA/MCUNet rounding of scaled channel counts."""
    n = max(d, int(v + d / 2) // d * d)
    return n + d if n < 0.9 * v else n


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, k, stride, expand, act):
        super().__init__()
        mid = make_divisible(round(cin * expand)) if expand != 1 else cin
        layers = [ConvBN(cin, mid, 1, act=act)] if expand != 1 else []
        layers += [ConvBN(mid, mid, k, stride, groups=mid, act=act), ConvBN(mid, cout, 1, act=None)]
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class Mbv2Like(nn.Module):
    """first conv 3x3/s2, MB1 3x3 block, stages of inverted residuals, optional 1x1 mix, global avg pool."""

    def __init__(self, first, mb1, stages, mix=None, act="relu6"):
        super().__init__()
        layers = [ConvBN(3, first, 3, 2, act=act), InvertedResidual(first, mb1, 3, 1, 1, act)]
        c = mb1
        for cout, stride, ks, es in stages:
            for i, (k, e) in enumerate(zip(ks, es)):
                layers.append(InvertedResidual(c, cout, k, stride if i == 0 else 1, e, act))
                c = cout
        if mix:
            layers.append(ConvBN(c, mix, 1, act=act))
            c = mix
        self.features = nn.Sequential(*layers)
        self.out_dim = c

    def forward(self, x):
        x = self.features(x)
        return F.adaptive_avg_pool2d(x, 1).flatten(1)


def mcunet_in3_like():
    # (out channels, first stride, kernel per block, expansion per block); see the module docstring
    return Mbv2Like(16, 8, [
        (16, 2, [3, 5, 3], [6, 6, 5]),
        (24, 2, [7, 5, 5, 5], [6, 6, 5, 5]),
        (40, 2, [7, 5, 5], [6, 5, 5]),
        (48, 1, [5, 5, 5], [5, 4, 4]),
        (96, 2, [7, 7, 5], [6, 4, 4]),
        (160, 1, [7], [6]),
    ])


def proxyless_w03_like():
    w = lambda c: make_divisible(c * 0.3)  # noqa: E731
    return Mbv2Like(w(32), w(16), [
        (w(32), 2, [5, 3], [3, 3]),  # blocks 3 and 4 of this stage are zero (skip) layers in ProxylessNAS
        (w(40), 2, [7, 3, 5, 5], [3, 3, 3, 3]),
        (w(80), 2, [7, 5, 5, 5], [6, 3, 3, 3]),
        (w(96), 1, [5, 5, 5, 5], [6, 3, 3, 3]),
        (w(192), 2, [7, 7, 7, 7], [6, 6, 3, 3]),
        (w(320), 1, [7], [6]),
    ], mix=w(1280))


# ---------------------------------------------------------------------------------------------------------
# Input generators (realistic ranges; the int8 input scales of the official .tflite files give the ranges)
# ---------------------------------------------------------------------------------------------------------

def smooth_images(gen, n, c, h, w):
    """[0,1] images: low-frequency random fields (objects, gradients) plus a little pixel noise."""
    coarse = torch.rand((n, c, max(2, h // 8), max(2, w // 8)), generator=gen)
    base = F.interpolate(coarse, size=(h, w), mode="bilinear", align_corners=False)
    return (0.85 * base + 0.15 * torch.rand((n, c, h, w), generator=gen)).clamp(0, 1)


def raw_pixels(gen, n, shape):  # official ResNet-8 takes 0..255 pixels (int8 input scale 1.0, zp -128)
    return smooth_images(gen, n, *shape[1:]) * 255.0


def unit_pixels(gen, n, shape):  # official VWW takes [0,1] pixels (int8 input scale 1/255, zp -128)
    return smooth_images(gen, n, *shape[1:])


IMAGENET_MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
IMAGENET_STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def imagenet_normalized(gen, n, shape):  # MCUNet / ProxylessNAS: ImageNet mean/std normalization
    return (smooth_images(gen, n, *shape[1:]) - IMAGENET_MEAN) / IMAGENET_STD


def mfcc_like(gen, n, shape):
    """49 frames x 10 MFCCs in the official KWS input range (about -123..26): c0 (energy) strongly
    negative and varying over time, higher coefficients smaller and centred near zero."""
    frames, coeffs = shape[2], shape[3]
    scale = torch.tensor([30.0, 12, 10, 8, 7, 6, 5, 4, 4, 3]).view(1, 1, 1, coeffs)
    mean = torch.tensor([-70.0, 5, -3, 2, -1, 1, 0, 0, 0, 0]).view(1, 1, 1, coeffs)
    coarse = torch.randn((n, 1, 7, coeffs), generator=gen)
    smooth = F.interpolate(coarse, size=(frames, coeffs), mode="bilinear", align_corners=False)
    x = mean + scale * (0.8 * smooth + 0.3 * torch.randn((n, 1, frames, coeffs), generator=gen))
    return x.clamp(-123.0, 26.0)


def logmel_frames(gen, n, shape):
    """5 stacked frames of 128 log-mel bins in the official AD input range (about -85..15)."""
    tilt = torch.linspace(-20.0, -55.0, 128).repeat(5).view(1, 640)  # energy falls with frequency
    level = 10.0 * torch.randn((n, 1), generator=gen)
    x = tilt + level + 6.0 * torch.randn((n, 640), generator=gen)
    return x.clamp(-85.0, 15.0)


# ---------------------------------------------------------------------------------------------------------
# Weights, BN statistics, folding, counting
# ---------------------------------------------------------------------------------------------------------

def init_weights(model, gen):
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            std = math.sqrt(2.0 / m.weight[0].numel())
            with torch.no_grad():
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * std)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.05)
        elif isinstance(m, nn.modules.batchnorm._BatchNorm):
            with torch.no_grad():
                m.weight.copy_(0.5 + torch.rand(m.num_features, generator=gen))
                m.bias.copy_(torch.randn(m.num_features, generator=gen) * 0.1)


def collect_bn_stats(model, make_batch, gen):
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
    model.train()
    with torch.no_grad():
        for _ in range(N_BN_BATCHES):
            model(make_batch(gen, BN_BATCH))
    model.eval()


def _fold(weight, bias, bn):
    scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    shape = (-1,) + (1,) * (weight.dim() - 1)
    b = bias if bias is not None else torch.zeros_like(bn.running_mean)
    return weight * scale.view(shape), (b - bn.running_mean) * scale + bn.bias


def fold_bn(model):
    """Merge every ConvBN/LinearBN's BN into its conv/FC (which gains a bias); BN becomes Identity."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (ConvBN, LinearBN)):
                layer = m.conv if isinstance(m, ConvBN) else m.fc
                w, b = _fold(layer.weight, layer.bias, m.bn)
                layer.weight.copy_(w)
                layer.bias = nn.Parameter(b)
                m.bn = nn.Identity()
    assert not any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())


def count_macs(model, x):
    """Conv: out_elems * in_ch/groups * kh * kw; Linear: rows * in * out. Counted with forward hooks."""
    total = {"conv": 0, "linear": 0}

    def conv_hook(m, inp, out):
        total["conv"] += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]

    def fc_hook(m, inp, out):
        total["linear"] += out.numel() * m.in_features

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(fc_hook))
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return total["conv"] + total["linear"]


def microtc_macs(microtc, path):
    """Sum of the MACs column of `microtc inspect` over Conv/Gemm/MatMul rows, and its reported total."""
    out = subprocess.run([microtc, "inspect", path], capture_output=True, text=True)
    if out.returncode != 0:
        return {"error": (out.stderr or out.stdout).strip()[-400:]}
    conv_fc = 0
    for line in out.stdout.splitlines():
        cols = line.split()
        if len(cols) >= 6 and cols[0].isdigit() and re.match(r"(Conv|Gemm|MatMul|FC|Fully)", cols[1]):
            conv_fc += int(cols[-2])
    m = re.search(r"total: \d+ layers, (\d+) parameters, (\d+) MACs", out.stdout)
    return {"conv_fc_macs": conv_fc, "total_macs": int(m.group(2)) if m else None,
            "params": int(m.group(1)) if m else None}


# ---------------------------------------------------------------------------------------------------------

OFFICIAL_SRC = ("mlcommons/tiny benchmark/training/*/trained_models .tflite, MACs of CONV_2D + "
                "DEPTHWISE_CONV_2D + FULLY_CONNECTED counted by benchmarks/models/tflite_macs.py")

MODELS = [
    # name, constructor, input shape, input generator, seed, official MACs, source note
    ("resnet8", ResNet8, (1, 3, 32, 32), raw_pixels, 201, 12501632,
     "MLPerf Tiny IC ResNet-8 (tiny_resnet8_fp32.tflite, pretrainedResnet.tflite): " + OFFICIAL_SRC),
    ("dscnn", DsCnn, (1, 1, 49, 10), mfcc_like, 202, 2656768,
     "MLPerf Tiny KWS DS-CNN (tiny_kws_dscnn_fp32.tflite, kws_ref_model_float32.tflite): " + OFFICIAL_SRC),
    ("mobilenetv1_025_vww", MobileNetV1, (1, 3, 96, 96), unit_pixels, 203, 7489664,
     "MLPerf Tiny VWW MobileNetV1-0.25 96x96 (tiny_vww_96_fp32.tflite, vww_96_float.tflite): " + OFFICIAL_SRC),
    ("fc_autoencoder", FcAutoencoder, (1, 640), logmel_frames, 204, 264192,
     "MLPerf Tiny AD FC autoencoder (tiny_ad01_fp32.tflite, ad01_fp32.tflite): " + OFFICIAL_SRC),
    ("mcunet_in3_like", mcunet_in3_like, (1, 3, 64, 64), imagenet_normalized, 205, None,
     "no MLPerf Tiny figure; mcunet-in3 published 81.8 M MACs / 0.74 M params at 176x176 with classifier "
     "(mit-han-lab/mcunet model zoo README)"),
    ("proxyless_w03_like", proxyless_w03_like, (1, 3, 64, 64), imagenet_normalized, 206, None,
     "no MLPerf Tiny figure; proxyless-w0.3 published 38.3 M MACs / 0.75 M params at 176x176 with "
     "classifier (mit-han-lab/mcunet model zoo README)"),
]


def export(model, dummy):
    f = io.BytesIO()
    torch.onnx.export(model, dummy, f, opset_version=OPSET, input_names=["input"], output_names=["output"],
                      training=torch.onnx.TrainingMode.EVAL, do_constant_folding=True)
    m = onnx.load_from_string(f.getvalue())
    onnx.checker.check_model(m, full_check=True)
    assert not any(n.op_type == "BatchNormalization" for n in m.graph.node), "BN not folded"
    return m


def make_one(name, ctor, shape, make_input, seed, official, source, microtc):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = ctor()
    init_weights(model, gen)
    collect_bn_stats(model, lambda g, n: make_input(g, n, shape), gen)
    fold_bn(model)

    calib_gen = torch.Generator().manual_seed(seed + 1000)
    calib = make_input(calib_gen, N_CALIB, shape).float().numpy()
    dummy = torch.from_numpy(calib[:1])
    onnx_model = export(model, dummy)

    from_torch = model(dummy).detach().numpy()
    onnx_path = os.path.join(OUT_DIR, name + ".onnx")
    onnx.save(onnx_model, onnx_path)
    np.save(os.path.join(OUT_DIR, name + ".calib.npy"), np.ascontiguousarray(calib, "<f4"))

    with torch.no_grad():
        outs = model(torch.from_numpy(calib)).numpy()
    entry = {
        "name": name,
        "file": name + ".onnx",
        "input_shape": list(shape),
        "output_shape": list(from_torch.shape),
        "input_range": [float(calib.min()), float(calib.max())],
        "params": int(sum(p.numel() for p in model.parameters())),
        "macs": count_macs(model, dummy),
        "official_macs": official,
        "official_source": source,
        "onnx_bytes": os.path.getsize(onnx_path),
        "output_std_over_calib": float(outs.std(axis=0).mean()),  # > 0: outputs depend on the input
    }
    if isinstance(model, Mbv2Like):
        # Cross-check against the published figures: the same body at 176x176 plus a 1000-class FC.
        big = count_macs(model, torch.zeros(1, 3, 176, 176))
        entry["at_176_with_1000_class_fc"] = {"macs": big + model.out_dim * 1000,
                                              "params": entry["params"] + model.out_dim * 1001}
    if microtc:
        entry["microtc_inspect"] = microtc_macs(microtc, onnx_path)
    return entry


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default_mtc = os.path.join(OUT_DIR, "..", "..", "build", "microtc")
    ap.add_argument("--microtc", default=default_mtc, help="microtc binary for the inspect cross-check")
    args = ap.parse_args()
    microtc = args.microtc if os.path.exists(args.microtc) else None
    torch.set_num_threads(1)

    entries = []
    for spec in MODELS:
        e = make_one(*spec, microtc=microtc)
        entries.append(e)
        mt = e.get("microtc_inspect", {})
        print("%-20s params %8d  MACs %9d  official %9s  microtc conv+fc %9s (total %s)  %7d B" % (
            e["name"], e["params"], e["macs"], e["official_macs"], mt.get("conv_fc_macs", "-"),
            mt.get("total_macs", mt.get("error", "-")), e["onnx_bytes"]))
        if "at_176_with_1000_class_fc" in e:
            print("%-20s at 176x176 + 1000-class FC: %d MACs, %d params" % (
                "", e["at_176_with_1000_class_fc"]["macs"], e["at_176_with_1000_class_fc"]["params"]))
        if mt.get("conv_fc_macs") not in (None, e["macs"]):
            print("  MISMATCH: microtc conv+fc MACs %s != ours %d" % (mt.get("conv_fc_macs"), e["macs"]))
    with open(os.path.join(OUT_DIR, "models.json"), "w") as f:
        json.dump({"generator": "benchmarks/models/make_benchmark_models.py", "opset": OPSET,
                   "mac_rule": "conv: out_elems * in_ch/groups * kh * kw; linear: in * out (pools not counted)",
                   "models": entries}, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
