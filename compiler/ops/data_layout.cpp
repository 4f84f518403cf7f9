// Layout plans shared by the data-movement ops, their reference evaluation and their emitters.
#include "ops/data_layout.h"

#include <algorithm>

#include "ops/op_util.h"

namespace mtc {

void run_strided_copy(const Value &src, Value &dst, const StridedCopy &c) {
  const size_t es = dtype_size(src.dtype);
  const int64_t total = shape_elements(c.shape);
  std::vector<int64_t> idx(c.shape.size(), 0);
  for (int64_t k = 0; k < total; ++k) {
    int64_t s = c.src_offset, d = c.dst_offset;
    for (size_t a = 0; a < idx.size(); ++a) {
      s += idx[a] * c.src_strides[a];
      d += idx[a] * c.dst_strides[a];
    }
    std::memcpy(dst.bytes.data() + size_t(d) * es, src.bytes.data() + size_t(s) * es, es);
    for (size_t a = idx.size(); a-- > 0;) {
      if (++idx[a] < c.shape[a]) break;
      idx[a] = 0;
    }
  }
}

StridedCopy simplify_copy(StridedCopy c) {
  StridedCopy r;
  r.src_offset = c.src_offset;
  r.dst_offset = c.dst_offset;
  for (size_t a = 0; a < c.shape.size(); ++a) {
    if (c.shape[a] == 0) {  // nothing to copy: one empty axis says so
      r.shape = {0};
      r.src_strides = {1};
      r.dst_strides = {1};
      return r;
    }
    if (c.shape[a] == 1) continue;
    if (!r.shape.empty() && r.src_strides.back() == c.src_strides[a] * c.shape[a] &&
        r.dst_strides.back() == c.dst_strides[a] * c.shape[a]) {
      r.shape.back() *= c.shape[a];
      r.src_strides.back() = c.src_strides[a];
      r.dst_strides.back() = c.dst_strides[a];
      continue;
    }
    r.shape.push_back(c.shape[a]);
    r.src_strides.push_back(c.src_strides[a]);
    r.dst_strides.push_back(c.dst_strides[a]);
  }
  return r;
}

std::vector<int64_t> const_ints(const Graph &g, const Node &n, size_t i) {
  if (!n.has_input(i)) return {};
  const Tensor &t = g.tensor(n.inputs[i]);
  return t.constant ? t.constant->to_i64() : std::vector<int64_t>{};
}

std::string transpose_perm(const Node &n, size_t rank, std::vector<int64_t> &perm) {
  perm.clear();
  if (!n.attrs.has("perm")) {
    for (size_t i = 0; i < rank; ++i) perm.push_back(int64_t(rank - 1 - i));
    return "";
  }
  perm = n.attrs.get_ints("perm");
  if (perm.size() != rank)
    return "perm has " + std::to_string(perm.size()) + " entries but the input has rank " +
           std::to_string(rank);
  std::vector<char> seen(rank, 0);
  for (int64_t p : perm) {
    if (p < 0 || p >= int64_t(rank) || seen[size_t(p)])
      return "perm is not a permutation of 0.." + std::to_string(rank - 1);
    seen[size_t(p)] = 1;
  }
  return "";
}

StridedCopy transpose_copy(const Shape &in, const std::vector<int64_t> &perm) {
  StridedCopy c;
  std::vector<int64_t> st = contiguous_strides(in);
  for (int64_t p : perm) {
    c.shape.push_back(in[size_t(p)]);
    c.src_strides.push_back(st[size_t(p)]);
  }
  c.dst_strides = contiguous_strides(c.shape);
  return c;
}

std::string slice_plan(const Graph &g, const Node &n, StridedCopy &copy) {
  const Shape &in = g.tensor(n.inputs[0]).shape;
  const int64_t rank = int64_t(in.size());
  std::vector<int64_t> starts = const_ints(g, n, 1), ends = const_ints(g, n, 2);
  std::vector<int64_t> axes = const_ints(g, n, 3), steps = const_ints(g, n, 4);
  if (starts.size() != ends.size())
    return "starts has " + std::to_string(starts.size()) + " values but ends has " +
           std::to_string(ends.size());
  if (!n.has_input(3))
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(int64_t(i));
  if (!n.has_input(4)) steps.assign(starts.size(), 1);
  if (axes.size() != starts.size()) return "axes and starts have different lengths";
  if (steps.size() != starts.size()) return "steps and starts have different lengths";

  std::vector<int64_t> begin(in.size(), 0), step(in.size(), 1);
  Shape out = in;
  std::vector<char> seen(in.size(), 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t a = normalize_axis(axes[i], rank);
    if (a < 0 || a >= rank)
      return "axis " + std::to_string(axes[i]) + " is out of range for rank " + std::to_string(rank);
    if (seen[size_t(a)]) return "axis " + std::to_string(axes[i]) + " appears twice";
    seen[size_t(a)] = 1;
    const int64_t dim = in[size_t(a)], st = steps[i];
    if (st == 0) return "steps must not be 0";
    int64_t s = starts[i], e = ends[i];
    if (s < 0) s += dim;
    if (e < 0) e += dim;
    int64_t count;
    if (st > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      // e - s <= dim, and a step beyond dim takes at most one element: no overflow
      count = e > s ? (st >= dim ? 1 : (e - s + st - 1) / st) : 0;
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
      count = s > e ? (st <= -dim ? 1 : (s - e - st - 1) / -st) : 0;
    }
    if (dim == 0) count = 0, s = 0;
    out[size_t(a)] = count;
    begin[size_t(a)] = count > 0 ? s : 0;
    step[size_t(a)] = count > 1 ? st : 1;  // a single element never uses its stride
  }
  std::vector<int64_t> st = contiguous_strides(in);
  copy = StridedCopy();
  copy.shape = out;
  for (size_t a = 0; a < in.size(); ++a) {
    copy.src_offset += begin[a] * st[a];
    copy.src_strides.push_back(st[a] * step[a]);
  }
  copy.dst_strides = contiguous_strides(out);
  return "";
}

std::string pad_plan(const Graph &g, const Node &n, PadPlan &plan) {
  const Shape &in = g.tensor(n.inputs[0]).shape;
  const int64_t rank = int64_t(in.size());
  plan = PadPlan();
  plan.mode = n.attrs.get_string("mode", "constant");
  if (plan.mode != "constant" && plan.mode != "reflect" && plan.mode != "edge")
    return "mode " + quote_name(plan.mode) + " is not supported (constant, reflect, edge)";
  std::vector<int64_t> pads = const_ints(g, n, 1);
  std::vector<int64_t> axes;
  if (n.has_input(3)) {
    axes = const_ints(g, n, 3);
  } else {
    for (int64_t a = 0; a < rank; ++a) axes.push_back(a);
  }
  if (pads.size() != 2 * axes.size())
    return "pads has " + std::to_string(pads.size()) + " values; expected " +
           std::to_string(2 * axes.size()) + " (begin and end for each of " + std::to_string(axes.size()) +
           " axes)";
  plan.begin.assign(in.size(), 0);
  plan.end.assign(in.size(), 0);
  std::vector<int64_t> &end = plan.end;
  std::vector<char> seen(in.size(), 0);
  const int64_t kMaxPad = int64_t(1) << 31;  // larger pads overflow the int32 shapes anyway
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t a = normalize_axis(axes[i], rank);
    if (a < 0 || a >= rank)
      return "axis " + std::to_string(axes[i]) + " is out of range for rank " + std::to_string(rank);
    if (seen[size_t(a)]) return "axis " + std::to_string(axes[i]) + " appears twice";
    seen[size_t(a)] = 1;
    int64_t b = pads[i], e = pads[i + axes.size()];
    if (b > kMaxPad || b < -kMaxPad || e > kMaxPad || e < -kMaxPad) return "pads are too large";
    plan.begin[size_t(a)] = b;
    end[size_t(a)] = e;
  }
  plan.out = in;
  for (size_t a = 0; a < in.size(); ++a) {
    plan.out[a] = in[a] + plan.begin[a] + end[a];
    if (plan.out[a] < 0)
      return "pads crop axis " + std::to_string(a) + " (size " + std::to_string(in[a]) + ") below zero";
    bool grows = plan.begin[a] > 0 || end[a] > 0;
    if (plan.mode != "constant" && grows &&
        in[a] + std::min<int64_t>(plan.begin[a], 0) + std::min<int64_t>(end[a], 0) <= 0)
      return plan.mode + " padding needs at least one element left on axis " + std::to_string(a);
  }
  return "";
}

StridedCopy pad_interior(const Shape &in, const PadPlan &plan) {
  StridedCopy c;
  std::vector<int64_t> ss = contiguous_strides(in), ds = contiguous_strides(plan.out);
  for (size_t a = 0; a < in.size(); ++a) {
    int64_t src0 = std::max<int64_t>(0, -plan.begin[a]), dst0 = std::max<int64_t>(0, plan.begin[a]);
    int64_t count = std::min(in[a] - src0, plan.out[a] - dst0);
    c.shape.push_back(std::max<int64_t>(count, 0));
    c.src_offset += src0 * ss[a];
    c.dst_offset += dst0 * ds[a];
  }
  c.src_strides = ss;
  c.dst_strides = ds;
  return c;
}

std::vector<int64_t> pad_axis_map(int64_t in_dim, int64_t begin, int64_t end, const std::string &mode) {
  const int64_t lo = std::max<int64_t>(0, -begin), hi = in_dim - std::max<int64_t>(0, -end);
  const int64_t n = hi - lo, out_dim = in_dim + begin + end;
  std::vector<int64_t> map(static_cast<size_t>(std::max<int64_t>(out_dim, 0)), 0);
  for (int64_t o = 0; o < out_dim; ++o) {
    int64_t c = o - std::max<int64_t>(0, begin);  // position within the cropped extent
    if (c < 0 || c >= n) {
      if (mode == "edge") {
        c = c < 0 ? 0 : n - 1;
      } else if (mode == "reflect") {
        // numpy reflects repeatedly: the index pattern has period 2 * (n - 1)
        int64_t period = 2 * (n - 1);
        if (period == 0) {
          c = 0;
        } else {
          c %= period;
          if (c < 0) c += period;
          if (c >= n) c = period - c;
        }
      } else {
        map[size_t(o)] = -1;
        continue;
      }
    }
    map[size_t(o)] = lo + c;
  }
  return map;
}

StridedCopy concat_copy(const Shape &in, const Shape &out, size_t axis, int64_t axis_offset) {
  StridedCopy c;
  c.shape = in;
  c.src_strides = contiguous_strides(in);
  c.dst_strides = contiguous_strides(out);
  c.dst_offset = axis_offset * c.dst_strides[axis];
  return c;
}

}  // namespace mtc
