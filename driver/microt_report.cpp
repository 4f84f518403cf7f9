#include "driver/microt_report.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "driver/microt_plot.h"
#include "support/error.h"

namespace mtc {

namespace {

std::string md_cell(const std::string &s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

std::string fixed(double v, int digits) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << v;
  return os.str();
}

}  // namespace

std::string percent(double share) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << share * 100 << "%";
  return os.str();
}

void write_microt_report(const MicrotSearchReport &r, const std::string &out_dir, std::ostream &log) {
  const Graph &g = *r.graph;
  const StageCosts &costs = r.costs;
  // energy follows instructions through the board's profile
  const bool energy = costs.model && r.target && r.target->energy.supply_volts > 0;
  const double nj = energy ? r.target->energy.nanojoules_per_instruction() : 0;
  auto uj = [&](double cost) { return cost * nj * 1e-3; };
  auto tensor_name = [&](TensorId t) { return g.tensor(t).name; };

  nlohmann::json j;
  j["candidates"] = nlohmann::json::array();
  for (size_t c = 0; c < r.candidates.size(); ++c) {
    const SplitCandidate &sc = r.candidates[c];
    j["candidates"].push_back({{"step", sc.step},
                               {"tensor", tensor_name(sc.tensor)},
                               {"bytes", sc.bytes},
                               {"part_macs", sc.part_macs},
                               {"total_macs", sc.total_macs},
                               {"part_cost", costs.part[c]},
                               {"part_energy_uj", energy ? nlohmann::json(uj(costs.part[c])) : nlohmann::json(nullptr)}});
  }
  j["chosen"] = r.chosen < 0 ? nlohmann::json(nullptr) : nlohmann::json(tensor_name(r.candidates[size_t(r.chosen)].tensor));
  j["max_drop_points"] = r.max_drop_points;
  j["cost_unit"] = costs.unit;
  j["cost_estimated_by"] = costs.estimated_by;
  j["extractor_cost"] = costs.extractor;
  if (energy)
    j["energy_model"] = {{"chip", r.target->chip},
                         {"nanojoules_per_instruction", nj},
                         {"supply_volts", r.target->energy.supply_volts},
                         {"run_microamps_per_mhz", r.target->energy.run_microamps_per_mhz},
                         {"cycles_per_instruction", r.target->energy.cycles_per_instruction},
                         {"source", r.target->energy.source}};
  j["tasks"] = nlohmann::json::array();

  std::ostringstream md;
  md << "# MicroT split search\n\n";
  md << "Expected cost per inference, extractor and heads: " << costs.estimated_by << ".";
  if (energy)
    md << " Energy on the " << r.target->chip << ": " << fixed(nj, 3) << " nJ an instruction ("
       << r.target->energy.supply_volts << " V x " << r.target->energy.run_microamps_per_mhz << " uA/MHz x "
       << r.target->energy.cycles_per_instruction << " cycle an instruction; " << r.target->energy.source
       << "), so energy ranks splits as instructions do.";
  md << " Heads: multinomial logistic regression on the pooled int8 features the compiled extractor produces. "
        "Accuracy budget: "
     << r.max_drop_points << " point(s) below the full model.\n\n";
  md << "Chosen split: "
     << (r.chosen < 0 ? std::string("none (no candidate keeps every task within the budget)")
                      : "`" + md_cell(tensor_name(r.candidates[size_t(r.chosen)].tensor)) + "`")
     << (r.chosen < 0 ? "" : r.tasks.size() > 1 ? ": of the splits at which every task keeps the budget at some ratio, the "
                                                  "one with the least expected cost summed over the tasks (relative to each "
                                                  "task's full model)"
                                                : ": the least expected cost within the budget")
     << "\n\n";
  md << "| step | split tensor | bytes held | part MACs | part " << costs.unit << " |"
     << (energy ? " part energy (uJ) |" : "") << " share of the extractor |\n"
     << "|---:|---|---:|---:|---:|" << (energy ? "---:|" : "") << "---:|\n";
  for (size_t c = 0; c < r.candidates.size(); ++c) {
    const SplitCandidate &sc = r.candidates[c];
    md << "| " << sc.step << " | `" << md_cell(tensor_name(sc.tensor)) << "` | " << sc.bytes << " | " << sc.part_macs
       << " | " << fixed(costs.part[c], 0) << " |" << (energy ? " " + fixed(uj(costs.part[c]), 1) + " |" : "")
       << " " << percent(costs.part[c] / costs.extractor) << " |\n";
  }
  const std::string cost_axis = std::string("expected ") + (energy ? "energy" : costs.unit) + ", share of the full model's";
  for (size_t t = 0; t < r.tasks.size(); ++t) {
    const MicrotTaskSummary &task = r.tasks[t];
    const SplitSearch &s = r.results[t];
    nlohmann::json jt = {{"name", task.name},
                         {"file", task.file},
                         {"train_samples", task.train_samples},
                         {"val_samples", task.val_samples},
                         {"classes", task.classes},
                         {"full_accuracy", s.full_accuracy},
                         {"full_cost", s.full_cost},
                         {"splits", nlohmann::json::array()}};
    if (energy) jt["full_energy_uj"] = uj(s.full_cost);
    md << "\n## Task " << md_cell(task.name) << "\n\nFull model alone: accuracy " << percent(s.full_accuracy) << " on "
       << task.val_samples << " validation samples, " << fixed(s.full_cost, 0) << " " << costs.unit
       << (energy ? " (" + fixed(uj(s.full_cost), 1) + " uJ)" : std::string()) << " an inference. This task "
       << "alone would pick: " << s.why << ".\n\n";
    jt["why"] = s.why;
    {
      std::vector<std::string> labels;
      for (const SplitResult &sr : s.splits) labels.push_back("after step " + std::to_string(sr.split.step));
      const std::string svg = "microt_task" + std::to_string(t) + ".svg";
      std::filesystem::create_directories(out_dir);
      std::ofstream(out_dir + "/" + svg) << microt_plot_svg(
          s, labels, "task " + task.name + ": accuracy against " + (energy ? "energy" : costs.unit), cost_axis);
      md << "![accuracy against " << cost_axis << " per split, Pareto front marked](" << svg << ")\n\n";
      jt["plot"] = svg;
    }
    md << "| split tensor | part head accuracy | best ratio within budget | accuracy there | expected cost vs full |\n"
          "|---|---:|---:|---:|---:|\n";
    for (const SplitResult &sr : s.splits) {
      const ExitPoint *bp = best_within_budget(sr, s.full_accuracy, r.max_drop_points / 100.0);
      nlohmann::json curve = nlohmann::json::array();
      for (const ExitPoint &p : sr.curve) {
        nlohmann::json jp = {{"ratio", p.ratio},
                             {"threshold", std::isfinite(p.threshold) ? nlohmann::json(p.threshold) : nlohmann::json(nullptr)},
                             {"exit_share", p.exit_share},
                             {"accuracy", p.accuracy},
                             {"cost", p.cost}};
        if (energy) jp["energy_uj"] = uj(p.cost);
        curve.push_back(jp);
      }
      jt["splits"].push_back({{"tensor", tensor_name(sr.split.tensor)},
                              {"part_accuracy", sr.part_accuracy},
                              {"part_cost", sr.part_cost},
                              {"curve", curve}});
      md << "| `" << md_cell(tensor_name(sr.split.tensor)) << "` | " << percent(sr.part_accuracy) << " | "
         << (bp ? fixed(bp->ratio, 2) : std::string("-")) << " | " << (bp ? percent(bp->accuracy) : "-") << " | "
         << (bp ? percent(bp->cost / s.full_cost) : "-") << " |\n";
    }
    if (r.chosen >= 0) {
      const SplitResult &sr = s.splits[size_t(r.chosen)];
      const std::string e_head = energy ? " energy (uJ) |" : "", e_rule = energy ? "---:|" : "";
      md << "\nChosen split, ratio -> outcome (thresholds from the validation samples), next to the full and the "
            "part model alone:\n\n| ratio | threshold | exit share | accuracy | expected "
         << costs.unit << " |" << e_head << " vs full |\n|---:|---:|---:|---:|---:|" << e_rule << "---:|\n";
      auto row = [&](const std::string &ratio, const std::string &threshold, const std::string &exits, double acc,
                     double cost) {
        md << "| " << ratio << " | " << threshold << " | " << exits << " | " << percent(acc) << " | " << fixed(cost, 0)
           << " |" << (energy ? " " + fixed(uj(cost), 1) + " |" : std::string()) << " " << percent(cost / s.full_cost)
           << " |\n";
      };
      row("full model only", "-", "0%", s.full_accuracy, s.full_cost);
      for (const ExitPoint &p : sr.curve)
        row(fixed(p.ratio, 2), std::isfinite(p.threshold) ? fixed(p.threshold, 4) : std::string("-"),
            percent(p.exit_share), p.accuracy, p.cost);
      row("part model only", "-", "100%", sr.part_accuracy, sr.part_cost);
      const ExitPoint &at = point_at_ratio(sr, r.ratio);
      log << "microt: task " << task.name << ": full model " << percent(s.full_accuracy) << "; split '"
          << tensor_name(sr.split.tensor) << "' at ratio " << at.ratio << ": accuracy " << percent(at.accuracy)
          << ", exit share " << percent(at.exit_share) << ", expected " << (energy ? "energy " : costs.unit + " ")
          << percent(at.cost / s.full_cost) << " of the full model's"
          << (energy ? " (" + fixed(uj(at.cost), 1) + " against " + fixed(uj(s.full_cost), 1) + " uJ on the " +
                           r.target->chip + ")"
                     : std::string())
          << "\n";
    }
    j["tasks"].push_back(jt);
  }
  std::filesystem::create_directories(out_dir);
  const std::string mdp = out_dir + "/microt_report.md", jp = out_dir + "/microt_report.json";
  std::ofstream(mdp) << md.str();
  std::ofstream jf(jp);
  jf << j.dump(2) << "\n";
  if (!jf) throw CompileError("cannot write " + jp);
  log << "microt: wrote " << mdp << " and " << jp
      << (r.chosen < 0 ? "; no split keeps every task within the budget: no NAME_infer\n" : "\n");
}

}  // namespace mtc
