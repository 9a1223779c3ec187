#include "experiments/experiment_table.h"

#include "io/csv_writing.h"
#include "runs/delta_m.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>

namespace mtl::core {

namespace {

// Competition ranking ("1 2 2 4") of values, best first; NaN values rank last.
std::vector<int> ranks(const std::vector<double>& values, bool higherIsBetter) {
    std::vector<int> result(values.size(), 0);
    for (std::size_t i = 0; i < values.size(); ++i) {
        int better = 0;
        for (std::size_t j = 0; j < values.size(); ++j) {
            const double a = values[i];
            const double b = values[j];
            if (std::isnan(b))
                continue;
            if (std::isnan(a) || (higherIsBetter ? b > a : b < a))
                ++better;
        }
        result[i] = better + 1;
    }
    return result;
}

} // namespace

Estimate estimate(const std::vector<double>& values) {
    Estimate e;
    double sum = 0.0;
    for (double v : values) {
        if (!std::isfinite(v))
            continue;
        sum += v;
        ++e.count;
    }
    if (e.count == 0)
        return e;
    e.mean = sum / e.count;
    double squares = 0.0;
    for (double v : values) {
        if (std::isfinite(v))
            squares += (v - e.mean) * (v - e.mean);
    }
    e.std = e.count > 1 ? std::sqrt(squares / (e.count - 1)) : 0.0;
    return e;
}

ExperimentTable experimentTable(const ExperimentState& state) {
    ExperimentTable table;
    table.tasks = state.tasks;
    const auto configs = configurations(state.spec);
    const std::size_t T = state.tasks.size();
    // Baseline metric per (seed, task).
    std::map<std::uint64_t, std::vector<double>> baseline;
    bool test = false;
    bool validation = false;
    for (std::size_t i = 0; i < state.jobs.size(); ++i) {
        const ExperimentJob& job = state.jobs[i];
        const JobResult& r = state.results[i];
        if (!r.done || !r.error.empty())
            continue;
        (r.split == "test" ? test : validation) = true;
        if (job.config >= 0)
            continue;
        auto& values = baseline.try_emplace(job.seed, std::vector<double>(T, NAN)).first->second;
        for (std::size_t t = 0; t < T; ++t) {
            if (state.tasks[t].name == job.baselineTask)
                values[t] = r.metrics[t];
        }
    }
    table.split = test && validation ? "test and validation" : validation ? "validation" : "test";

    auto rowOf = [&](int config, const std::string& label) {
        ExperimentRow row;
        row.config = config;
        row.label = label;
        std::vector<std::vector<double>> perTask(T);
        std::vector<double> deltas;
        double seconds = 0.0;
        for (std::size_t i = 0; i < state.jobs.size(); ++i) {
            const ExperimentJob& job = state.jobs[i];
            const JobResult& r = state.results[i];
            if (job.config != config || !r.done)
                continue;
            if (!r.error.empty()) {
                ++row.failed;
                continue;
            }
            row.jobs.push_back(i);
            seconds += r.seconds;
            for (std::size_t t = 0; t < T; ++t) {
                if (config >= 0 || state.tasks[t].name == job.baselineTask)
                    perTask[t].push_back(r.metrics[t]);
            }
            if (config < 0)
                continue;
            const auto b = baseline.find(job.seed);
            if (b == baseline.end())
                continue;
            double sum = 0.0;
            bool complete = true;
            for (std::size_t t = 0; t < T; ++t) {
                const auto relative =
                    relativeDifference(r.metrics[t], b->second[t], state.tasks[t].higherIsBetter);
                if (!relative)
                    complete = false;
                else
                    sum += *relative;
            }
            if (complete && T > 0)
                deltas.push_back(sum / double(T));
        }
        for (std::size_t t = 0; t < T; ++t)
            row.tasks.push_back(estimate(perTask[t]));
        row.deltaM = config < 0 ? Estimate{0.0, 0.0, int(baseline.size())} : estimate(deltas);
        row.seconds = row.jobs.empty() ? 0.0 : seconds / double(row.jobs.size());
        return row;
    };
    for (std::size_t c = 0; c < configs.size(); ++c)
        table.rows.push_back(rowOf(int(c), configs[c].label));
    const bool hasBaselines = std::any_of(state.jobs.begin(), state.jobs.end(),
                                          [](const ExperimentJob& j) { return j.config < 0; });
    if (hasBaselines)
        table.rows.push_back(rowOf(-1, "single-task baselines"));

    // Ranks among the configurations.
    const std::size_t C = configs.size();
    for (std::size_t t = 0; t < T; ++t) {
        std::vector<double> means;
        for (std::size_t c = 0; c < C; ++c)
            means.push_back(table.rows[c].tasks[t].mean);
        const auto r = ranks(means, state.tasks[t].higherIsBetter);
        for (std::size_t c = 0; c < C; ++c)
            table.rows[c].taskRank.push_back(r[c]);
    }
    std::vector<double> deltas;
    std::vector<double> meanRanks;
    for (std::size_t c = 0; c < C; ++c) {
        ExperimentRow& row = table.rows[c];
        row.meanRank =
            T == 0 ? 0.0
                   : std::accumulate(row.taskRank.begin(), row.taskRank.end(), 0.0) / double(T);
        deltas.push_back(row.deltaM.mean);
        meanRanks.push_back(row.meanRank);
    }
    table.rankedByDeltaM = C > 0 && std::all_of(deltas.begin(), deltas.end(),
                                                [](double d) { return std::isfinite(d); });
    const auto overall = table.rankedByDeltaM ? ranks(deltas, true) : ranks(meanRanks, false);
    for (std::size_t c = 0; c < C; ++c)
        table.rows[c].rank = overall[c];
    return table;
}

std::vector<std::size_t> paretoFront(const std::vector<std::array<double, 2>>& points,
                                     std::array<bool, 2> higherIsBetter) {
    auto better = [&](double a, double b, int axis) {
        return higherIsBetter[std::size_t(axis)] ? a > b : a < b;
    };
    std::vector<std::size_t> front;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!std::isfinite(points[i][0]) || !std::isfinite(points[i][1]))
            continue;
        bool dominated = false;
        for (std::size_t j = 0; j < points.size() && !dominated; ++j) {
            if (j == i || !std::isfinite(points[j][0]) || !std::isfinite(points[j][1]))
                continue;
            const bool noWorse =
                !better(points[i][0], points[j][0], 0) && !better(points[i][1], points[j][1], 1);
            const bool strictly =
                better(points[j][0], points[i][0], 0) || better(points[j][1], points[i][1], 1);
            dominated = noWorse && strictly;
        }
        if (!dominated)
            front.push_back(i);
    }
    return front;
}

namespace {

std::string fixed(double value, int digits) {
    if (!std::isfinite(value))
        return "–";
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, value);
    return text;
}

// Accuracy and the like in percent (as papers print them), other metrics as they are.
bool percent(const ExperimentTask& task) {
    return task.metric == "accuracy" || task.metric == "macro_f1";
}

std::string cell(const Estimate& e, bool inPercent, const char* plusMinus) {
    if (e.count == 0)
        return "–";
    const double scale = inPercent ? 100.0 : 1.0;
    const int digits = inPercent ? 2 : 4;
    return fixed(scale * e.mean, digits) + plusMinus + fixed(scale * e.std, digits);
}

std::string deltaCell(const Estimate& e, const char* plusMinus) {
    if (e.count == 0)
        return "–";
    const double percent = std::fabs(100.0 * e.mean) < 0.005 ? 0.0 : 100.0 * e.mean; // no "−0.00"
    return (percent >= 0 ? "+" : "") + fixed(percent, 2) + plusMinus + fixed(100.0 * e.std, 2);
}

struct Column {
    std::string title;
    std::vector<std::string> cells;
    std::vector<bool> best;
};

std::vector<Column> columns(const ExperimentTable& table, const char* plusMinus,
                            const std::string& percentSign) {
    std::vector<Column> out;
    const std::size_t C =
        std::size_t(std::count_if(table.rows.begin(), table.rows.end(),
                                  [](const ExperimentRow& r) { return r.config >= 0; }));
    for (std::size_t t = 0; t < table.tasks.size(); ++t) {
        const ExperimentTask& task = table.tasks[t];
        Column c{task.name + " " + task.metric + (percent(task) ? " (" + percentSign + ")" : "") +
                     (task.higherIsBetter ? " ↑" : " ↓"),
                 {},
                 {}};
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            c.cells.push_back(cell(table.rows[r].tasks[t], percent(task), plusMinus));
            c.best.push_back(r < C && table.rows[r].taskRank[t] == 1 &&
                             table.rows[r].tasks[t].count > 0);
        }
        out.push_back(c);
    }
    Column delta{"Δm (" + percentSign + ") ↑", {}, {}};
    Column seconds{"time (s)", {}, {}};
    Column rank{table.rankedByDeltaM ? "rank (Δm)" : "rank (mean rank)", {}, {}};
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const ExperimentRow& row = table.rows[r];
        delta.cells.push_back(row.config < 0 ? "0" : deltaCell(row.deltaM, plusMinus));
        delta.best.push_back(row.config >= 0 && table.rankedByDeltaM && row.rank == 1);
        seconds.cells.push_back(row.jobs.empty() ? "–"
                                                 : fixed(row.seconds, row.seconds < 10 ? 2 : 1));
        seconds.best.push_back(false);
        rank.cells.push_back(row.config < 0 ? "" : std::to_string(row.rank));
        rank.best.push_back(false);
    }
    out.push_back(delta);
    out.push_back(seconds);
    out.push_back(rank);
    return out;
}

std::string runsText(const ExperimentRow& row) {
    return std::to_string(row.jobs.size());
}

} // namespace

std::string tableCsv(const ExperimentTable& table) {
    std::string out = "configuration,runs";
    for (const ExperimentTask& t : table.tasks) {
        out += "," + csvField(t.name + "_" + t.metric + "_mean") + "," +
               csvField(t.name + "_" + t.metric + "_std");
    }
    out += ",delta_m_mean,delta_m_std,seconds,rank\n";
    for (const ExperimentRow& row : table.rows) {
        out += csvField(row.label) + "," + runsText(row);
        auto number = [&](double v) {
            out += ",";
            appendNumber(out, v);
        };
        for (const Estimate& e : row.tasks) {
            number(e.mean);
            number(e.std);
        }
        number(row.deltaM.mean);
        number(row.deltaM.std);
        number(row.seconds);
        out += "," + (row.config < 0 ? std::string() : std::to_string(row.rank)) + "\n";
    }
    return out;
}

std::string tableMarkdown(const ExperimentTable& table) {
    const auto cols = columns(table, " ± ", "%");
    std::string out = "| configuration | runs |";
    std::string rule = "|---|---:|";
    for (const Column& c : cols) {
        out += " " + c.title + " |";
        rule += "---:|";
    }
    out += "\n" + rule + "\n";
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        out += "| " + table.rows[r].label + " | " + runsText(table.rows[r]) + " |";
        for (const Column& c : cols)
            out += " " + (c.best[r] ? "**" + c.cells[r] + "**" : c.cells[r]) + " |";
        out += "\n";
    }
    out += "\nMetrics on the " + table.split +
           " split, mean ± sample standard deviation over seeds; Δm against the "
           "single-task baselines of the same seeds (Maninis et al. 2019); best configuration per "
           "column in bold.\n";
    return out;
}

std::string tableLatex(const ExperimentTable& table) {
    auto escape = [](const std::string& text) {
        std::string out;
        for (char c : text) {
            if (c == '_' || c == '%' || c == '&' || c == '#')
                out += '\\';
            out += c;
        }
        return out;
    };
    auto math = [](std::string text) {
        for (const auto& [from, to] : {std::pair<std::string, std::string>{"Δm", "$\\Delta_m$"},
                                       {"↑", "$\\uparrow$"},
                                       {"↓", "$\\downarrow$"},
                                       {"–", "--"}}) {
            for (auto at = text.find(from); at != std::string::npos;
                 at = text.find(from, at + to.size())) {
                text.replace(at, from.size(), to);
            }
        }
        return text;
    };
    const auto cols = columns(table, " $\\pm$ ", "\\%");
    std::string out =
        "\\begin{tabular}{lr" + std::string(cols.size(), 'r') + "}\n\\hline\nConfiguration & Runs";
    for (const Column& c : cols)
        out += " & " + math(c.title);
    out += " \\\\\n\\hline\n";
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        out += escape(table.rows[r].label) + " & " + runsText(table.rows[r]);
        for (const Column& c : cols)
            out += " & " + (c.best[r] ? "\\textbf{" + math(c.cells[r]) + "}" : math(c.cells[r]));
        out += " \\\\\n";
    }
    out += "\\hline\n\\end{tabular}\n";
    return out;
}

} // namespace mtl::core
