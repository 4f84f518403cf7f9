#include "driver/microt_plot.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace mtc {

namespace {

std::string xml_text(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out;
}

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

}  // namespace

std::string microt_plot_svg(const SplitSearch &s, const std::vector<std::string> &labels, const std::string &title,
                            const std::string &x_label) {
  const double w = 720, h = 440, left = 60, right = 250, top = 40, bottom = 50;
  const double pw = w - left - right, ph = h - top - bottom;
  double amin = s.full_accuracy, amax = s.full_accuracy, cmax = 1.0;
  for (const SplitResult &r : s.splits)
    for (const ExitPoint &p : r.curve) {
      amin = std::min(amin, p.accuracy), amax = std::max(amax, p.accuracy);
      cmax = std::max(cmax, p.cost / s.full_cost);
    }
  amin = std::max(0.0, amin - 0.02), amax = std::min(1.0, amax + 0.02);
  if (amax - amin < 0.05) amax = amin + 0.05;
  auto x = [&](double cost) { return left + cost / s.full_cost / cmax * pw; };
  auto y = [&](double acc) { return top + (amax - acc) / (amax - amin) * ph; };
  static const char *colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h << "\" font-family=\"sans-serif\" "
    << "font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o << "<text x=\"" << left << "\" y=\"20\" font-size=\"13\">" << xml_text(title) << "</text>\n";
  // axes and grid
  o << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
    << "\" fill=\"none\" stroke=\"black\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    const double c = cmax * i / 4, a = amin + (amax - amin) * i / 4;
    o << "<text x=\"" << num(x(c * s.full_cost)) << "\" y=\"" << num(top + ph + 15) << "\" text-anchor=\"middle\">"
      << num(c * 100) << "%</text>\n";
    o << "<text x=\"" << num(left - 5) << "\" y=\"" << num(y(a) + 4) << "\" text-anchor=\"end\">" << num(a * 100)
      << "%</text>\n";
  }
  o << "<text x=\"" << num(left + pw / 2) << "\" y=\"" << num(h - 12) << "\" text-anchor=\"middle\">" << xml_text(x_label)
    << "</text>\n";
  o << "<text x=\"15\" y=\"" << num(top + ph / 2) << "\" transform=\"rotate(-90 15 " << num(top + ph / 2)
    << ")\" text-anchor=\"middle\">accuracy</text>\n";
  // the full model alone
  o << "<line x1=\"" << num(left) << "\" x2=\"" << num(left + pw) << "\" y1=\"" << num(y(s.full_accuracy)) << "\" y2=\""
    << num(y(s.full_accuracy)) << "\" stroke=\"gray\" stroke-dasharray=\"2,3\"/>\n";
  // one curve per split, ratio 0 (the full model) to 1 (the part model alone)
  for (size_t c = 0; c < s.splits.size(); ++c) {
    const char *color = colors[c % 10];
    o << "<polyline class=\"split\" fill=\"none\" stroke=\"" << color << "\" points=\"";
    for (const ExitPoint &p : s.splits[c].curve) o << num(x(p.cost)) << "," << num(y(p.accuracy)) << " ";
    o << "\"/>\n";
    const double ly = top + 12 + 16 * double(c);
    o << "<line x1=\"" << num(left + pw + 10) << "\" x2=\"" << num(left + pw + 28) << "\" y1=\"" << num(ly - 4)
      << "\" y2=\"" << num(ly - 4) << "\" stroke=\"" << color << "\"/>\n";
    o << "<text x=\"" << num(left + pw + 32) << "\" y=\"" << num(ly) << "\">"
      << xml_text(c < labels.size() ? labels[c] : std::to_string(c)) << "</text>\n";
  }
  // the Pareto front
  const std::vector<TradeOff> front = pareto_front(s);
  o << "<polyline fill=\"none\" stroke=\"black\" stroke-dasharray=\"4,3\" points=\"";
  for (const TradeOff &t : front) o << num(x(t.cost)) << "," << num(y(t.accuracy)) << " ";
  o << "\"/>\n";
  for (const TradeOff &t : front)
    o << "<circle class=\"front\" cx=\"" << num(x(t.cost)) << "\" cy=\"" << num(y(t.accuracy))
      << "\" r=\"3.5\" fill=\"none\" stroke=\"black\"/>\n";
  const double ly = top + 12 + 16 * double(s.splits.size()) + 8;
  o << "<circle cx=\"" << num(left + pw + 19) << "\" cy=\"" << num(ly - 4) << "\" r=\"3.5\" fill=\"none\" "
    << "stroke=\"black\"/>\n<text x=\"" << num(left + pw + 32) << "\" y=\"" << num(ly) << "\">Pareto front</text>\n";
  o << "</svg>\n";
  return o.str();
}

}  // namespace mtc
