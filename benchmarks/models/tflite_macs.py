#!/usr/bin/python3
"""MAC counts of the official MLPerf Tiny .tflite models, without the tflite package.

Reads the flatbuffers with a minimal reader that knows only the TFLite schema fields needed here
(schema.fbs: Model.operator_codes/subgraphs, SubGraph.tensors/operators, Tensor.shape,
Operator.opcode_index/inputs/outputs, OperatorCode.deprecated_builtin_code/builtin_code), so that
the benchmark report can put the official MAC counts next to microtc's without extra dependencies.

MACs: CONV_2D = out_elems * kh * kw * in_ch (filter [O, KH, KW, I]); DEPTHWISE_CONV_2D =
out_elems * kh * kw (filter [1, KH, KW, O], depth multiplier folded into O); FULLY_CONNECTED =
out_elems * in_features (filter [O, I]).

Usage: tflite_macs.py [DIR] [--json OUT]   (DIR defaults to ../shared/models/mlperf-tiny/ next to
the repository). A missing DIR is reported and yields an empty JSON object, exit status 0.
"""
import argparse
import json
import os
import struct
import sys

CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED = 3, 4, 9
OP_NAMES = {CONV_2D: "CONV_2D", DEPTHWISE_CONV_2D: "DEPTHWISE_CONV_2D", FULLY_CONNECTED: "FULLY_CONNECTED"}


class Table:
    """A flatbuffer table: field i is read through the vtable; absent fields give the default."""

    def __init__(self, buf, pos):
        self.buf = buf
        self.pos = pos
        self.vtable = pos - struct.unpack_from("<i", buf, pos)[0]
        self.vtable_size = struct.unpack_from("<H", buf, self.vtable)[0]

    def _field(self, i):
        entry = 4 + 2 * i
        if entry >= self.vtable_size:
            return 0
        return struct.unpack_from("<H", self.buf, self.vtable + entry)[0]

    def scalar(self, i, fmt, default=0):
        off = self._field(i)
        return default if off == 0 else struct.unpack_from("<" + fmt, self.buf, self.pos + off)[0]

    def _indirect(self, i):
        off = self._field(i)
        if off == 0:
            return None
        where = self.pos + off
        return where + struct.unpack_from("<I", self.buf, where)[0]

    def vector(self, i, fmt):
        """A vector of scalars (fmt is a struct code), or [] when absent."""
        start = self._indirect(i)
        if start is None:
            return []
        n = struct.unpack_from("<I", self.buf, start)[0]
        return list(struct.unpack_from("<%d%s" % (n, fmt), self.buf, start + 4))

    def tables(self, i):
        """A vector of tables, or [] when absent."""
        start = self._indirect(i)
        if start is None:
            return []
        n = struct.unpack_from("<I", self.buf, start)[0]
        out = []
        for k in range(n):
            elem = start + 4 + 4 * k
            out.append(Table(self.buf, elem + struct.unpack_from("<I", self.buf, elem)[0]))
        return out


def prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


def model_macs(path):
    with open(path, "rb") as f:
        buf = f.read()
    if buf[4:8] != b"TFL3":
        raise ValueError("%s: not a TFLite flatbuffer (identifier %r)" % (path, buf[4:8]))
    model = Table(buf, struct.unpack_from("<I", buf, 0)[0])
    # OperatorCode: 0 deprecated_builtin_code (int8), 3 builtin_code (int32); the real code is the
    # larger of the two (schema v3a keeps the old byte field for codes < 127).
    codes = [max(oc.scalar(0, "b"), oc.scalar(3, "i")) for oc in model.tables(1)]
    per_op = {name: 0 for name in OP_NAMES.values()}
    layers = []
    for sg in model.tables(2):
        shapes = [t.vector(0, "i") for t in sg.tables(0)]  # Tensor field 0: shape
        for op in sg.tables(3):  # Operator: 0 opcode_index, 1 inputs, 2 outputs
            code = codes[op.scalar(0, "I")]
            if code not in OP_NAMES:
                continue
            ins, outs = op.vector(1, "i"), op.vector(2, "i")
            w, o = shapes[ins[1]], shapes[outs[0]]
            if code == CONV_2D:
                macs = prod(o) * w[1] * w[2] * w[3]
            elif code == DEPTHWISE_CONV_2D:
                macs = prod(o) * w[1] * w[2]
            else:
                macs = prod(o) * w[-1]
            per_op[OP_NAMES[code]] += macs
            layers.append({"op": OP_NAMES[code], "weight": w, "output": o, "macs": macs})
    return {"macs_by_op": per_op, "macs_total": sum(per_op.values()), "layers": layers}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_dir = os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "models", "mlperf-tiny"))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", nargs="?", default=default_dir)
    ap.add_argument("--json", default=os.path.join(here, "official_macs.json"))
    ap.add_argument("--layers", action="store_true", help="also print every counted layer")
    args = ap.parse_args()

    result = {}
    if not os.path.isdir(args.dir):
        print("tflite_macs: %s not found; writing an empty %s" % (args.dir, args.json))
    else:
        for name in sorted(os.listdir(args.dir)):
            if not name.endswith(".tflite"):
                continue
            r = model_macs(os.path.join(args.dir, name))
            result[name] = {"macs_total": r["macs_total"], "macs_by_op": r["macs_by_op"]}
            print("%-28s total %10d  conv %10d  dwconv %9d  fc %8d" % (
                name, r["macs_total"], r["macs_by_op"]["CONV_2D"], r["macs_by_op"]["DEPTHWISE_CONV_2D"],
                r["macs_by_op"]["FULLY_CONNECTED"]))
            if args.layers:
                for l in r["layers"]:
                    print("    %-18s w=%-18s out=%-18s %d" % (l["op"], l["weight"], l["output"], l["macs"]))
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
