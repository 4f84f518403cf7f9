#include "microt/logistic.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "support/error.h"

namespace mtc {

std::vector<float> LinearHead::logits(const float *x) const {
  std::vector<float> out(static_cast<size_t>(classes));
  for (int64_t k = 0; k < classes; ++k) {
    double s = bias[size_t(k)];
    for (int64_t j = 0; j < features; ++j) s += double(weight[size_t(k * features + j)]) * x[j];
    out[size_t(k)] = float(s);
  }
  return out;
}

int64_t LinearHead::predict(const float *x) const {
  const std::vector<float> l = logits(x);
  return int64_t(std::max_element(l.begin(), l.end()) - l.begin());
}

namespace {

// Softmax probabilities of logits z (in place), stable.
void softmax_inplace(std::vector<double> &z) {
  const double mx = *std::max_element(z.begin(), z.end());
  double sum = 0;
  for (double &v : z) sum += (v = std::exp(v - mx));
  for (double &v : z) v /= sum;
}

}  // namespace

LinearHead train_logistic(const std::vector<float> &x, const std::vector<int64_t> &labels, int64_t features,
                          int64_t classes, const LogisticOptions &opts) {
  const int64_t n = int64_t(labels.size()), d = features, c = classes;
  if (n == 0 || d <= 0 || c < 2) throw CompileError("logistic regression: no samples, features or classes");
  if (int64_t(x.size()) != n * d) throw CompileError("logistic regression: features do not match the samples");
  for (int64_t y : labels)
    if (y < 0 || y >= c)
      throw CompileError("logistic regression: label " + std::to_string(y) + " is outside [0, " + std::to_string(c) +
                         ")");
  // standardized features z = (x - mean) / sd (sd 1 for constant features)
  std::vector<double> mean(size_t(d), 0.0), sd(size_t(d), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) mean[size_t(j)] += x[size_t(i * d + j)];
  for (double &m : mean) m /= double(n);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) {
      const double v = x[size_t(i * d + j)] - mean[size_t(j)];
      sd[size_t(j)] += v * v;
    }
  for (double &s : sd) s = s > 0 ? std::sqrt(s / double(n)) : 1.0;
  std::vector<double> z(size_t(n * d));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < d; ++j) z[size_t(i * d + j)] = (x[size_t(i * d + j)] - mean[size_t(j)]) / sd[size_t(j)];

  // Step size 1 / L, L = lambda_max(Z^T Z / n) / 2 + l2 (the softmax loss's Hessian is at most
  // half the feature covariance per class): lambda_max by power iteration from a fixed vector.
  std::vector<double> v(static_cast<size_t>(d), 1.0), t(static_cast<size_t>(n)), u(static_cast<size_t>(d));
  double lambda = 1.0;
  for (int it = 0; it < 30; ++it) {
    for (int64_t i = 0; i < n; ++i) {
      double s = 0;
      for (int64_t j = 0; j < d; ++j) s += z[size_t(i * d + j)] * v[size_t(j)];
      t[size_t(i)] = s;
    }
    std::fill(u.begin(), u.end(), 0.0);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < d; ++j) u[size_t(j)] += z[size_t(i * d + j)] * t[size_t(i)] / double(n);
    double norm = 0;
    for (double e : u) norm += e * e;
    norm = std::sqrt(norm);
    if (norm == 0) break;
    lambda = norm;
    for (int64_t j = 0; j < d; ++j) v[size_t(j)] = u[size_t(j)] / norm;
  }
  const double step = 1.0 / (0.5 * lambda * 1.05 + opts.l2 + 1e-12);

  // Nesterov's accelerated gradient on W (c x d) and b (c), from zero.
  const size_t pw = size_t(c * d);
  std::vector<double> w(pw + size_t(c), 0.0), prev = w, look = w, grad(w.size());
  std::vector<double> p(static_cast<size_t>(c));
  for (int it = 0; it < opts.iterations; ++it) {
    const double momentum = double(it) / double(it + 3);
    for (size_t k = 0; k < w.size(); ++k) look[k] = w[k] + momentum * (w[k] - prev[k]);
    std::fill(grad.begin(), grad.end(), 0.0);
    for (int64_t i = 0; i < n; ++i) {
      const double *zi = &z[size_t(i * d)];
      for (int64_t k = 0; k < c; ++k) {
        double s = look[pw + size_t(k)];
        for (int64_t j = 0; j < d; ++j) s += look[size_t(k * d + j)] * zi[j];
        p[size_t(k)] = s;
      }
      softmax_inplace(p);
      p[size_t(labels[size_t(i)])] -= 1.0;
      for (int64_t k = 0; k < c; ++k) {
        const double g = p[size_t(k)] / double(n);
        for (int64_t j = 0; j < d; ++j) grad[size_t(k * d + j)] += g * zi[j];
        grad[pw + size_t(k)] += g;
      }
    }
    for (size_t k = 0; k < pw; ++k) grad[k] += opts.l2 * look[k];
    prev = w;
    for (size_t k = 0; k < w.size(); ++k) w[k] = look[k] - step * grad[k];
  }

  // back to raw features: w_raw = w / sd, b_raw = b - sum w * mean / sd
  LinearHead h;
  h.features = d, h.classes = c;
  h.weight.resize(pw), h.bias.resize(size_t(c));
  for (int64_t k = 0; k < c; ++k) {
    double b = w[pw + size_t(k)];
    for (int64_t j = 0; j < d; ++j) {
      const double wr = w[size_t(k * d + j)] / sd[size_t(j)];
      h.weight[size_t(k * d + j)] = float(wr);
      b -= wr * mean[size_t(j)];
    }
    h.bias[size_t(k)] = float(b);
  }
  for (int64_t j = 0; j < d; ++j) {
    h.feature_mean.push_back(float(mean[size_t(j)]));
    h.feature_inv_sd.push_back(float(1.0 / sd[size_t(j)]));
  }
  return h;
}

double cross_entropy(const LinearHead &h, const std::vector<float> &x, const std::vector<int64_t> &labels) {
  double loss = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::vector<float> l = h.logits(&x[i * size_t(h.features)]);
    std::vector<double> p(l.begin(), l.end());
    softmax_inplace(p);
    loss -= std::log(std::max(p[size_t(labels[i])], 1e-300));
  }
  return labels.empty() ? 0.0 : loss / double(labels.size());
}

double accuracy(const LinearHead &h, const std::vector<float> &x, const std::vector<int64_t> &labels) {
  int64_t right = 0;
  for (size_t i = 0; i < labels.size(); ++i) right += h.predict(&x[i * size_t(h.features)]) == labels[i];
  return labels.empty() ? 0.0 : double(right) / double(labels.size());
}

}  // namespace mtc
