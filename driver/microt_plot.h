// The MicroT report's plot: accuracy against expected cost for every candidate split's exit curve,
// the Pareto front marked (SVG, written by the compiler: no plotting package needed).
#pragma once
#include <string>
#include <vector>

#include "microt/search.h"

namespace mtc {

// labels[i] names splits[i] in the legend, x_label the cost axis (plain text; escaped here).
std::string microt_plot_svg(const SplitSearch &s, const std::vector<std::string> &labels, const std::string &title,
                            const std::string &x_label);

}  // namespace mtc
