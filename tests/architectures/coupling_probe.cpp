// Prints the core's soft-sharing couplings (model/coupling.h) for random copies W of a few
// shapes — penalties, gradients and the learned Ω — as JSON, for compare_couplings.py to check
// against the independent reference (reference.py, written from the papers' equations).
#include "model/coupling.h"
#include "model/model.h"

#include <Eigen/LU>
#include <nlohmann/json.hpp>

#include <iostream>
#include <random>

using namespace mtl::core;

namespace {

nlohmann::json rows(const Vector& v, Index tasks, Index d) {
    nlohmann::json out = nlohmann::json::array();
    for (Index t = 0; t < tasks; ++t)
        out.push_back(std::vector<double>(v.data() + t * d, v.data() + (t + 1) * d));
    return out;
}

nlohmann::json matrix(const SmallMatrix& m) {
    nlohmann::json out = nlohmann::json::array();
    for (Index r = 0; r < m.rows(); ++r) {
        std::vector<double> row;
        for (Index c = 0; c < m.cols(); ++c)
            row.push_back(m(r, c));
        out.push_back(row);
    }
    return out;
}

} // namespace

int main() {
    nlohmann::json cases = nlohmann::json::array();
    std::mt19937_64 rng(2024);
    const std::pair<int, Index> shapes[] = {{2, 5}, {3, 40}, {4, 17}, {6, 64}};
    for (const auto& [tasks, d] : shapes) {
        SoftGroup group;
        group.couplingStrength = 0.37f;
        group.copySize = d;
        for (int t = 0; t < tasks; ++t)
            group.copyOffsets.push_back(Index(t) * d);
        Vector w(Index(tasks) * d);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        // Correlated copies: a common part plus each task's own.
        Vector common(d);
        for (Index i = 0; i < d; ++i)
            common[i] = normal(rng);
        for (Index t = 0; t < tasks; ++t) {
            for (Index i = 0; i < d; ++i)
                w[t * d + i] = 0.8f * common[i] + 0.6f * normal(rng);
        }
        const Vector mask = Vector::Ones(w.size());
        nlohmann::json c{{"tasks", tasks},
                         {"d", d},
                         {"lambda", double(group.couplingStrength)},
                         {"W", rows(w, tasks, d)}};
        Vector g = Vector::Zero(w.size());
        c["mean_l2"] = {{"value", meanL2Penalty(group, w.data(), mask.data(), g.data())},
                        {"gradient", rows(g, tasks, d)}};
        g.setZero();
        c["trace_norm"] = {{"value", traceNormPenalty(group, w.data(), mask.data(), g.data())},
                           {"gradient", rows(g, tasks, d)},
                           {"epsilon", kTraceNormEpsilon}};
        const SmallMatrix omega = relationshipCovariance(group, w.data(), mask.data());
        g.setZero();
        const double value =
            relationshipPenalty(group, omega.inverse(), w.data(), mask.data(), g.data());
        c["relationship"] = {{"omega", matrix(omega)},
                             {"relative_epsilon", kRelationshipEpsilon},
                             {"value", value},
                             {"gradient", rows(g, tasks, d)}};
        cases.push_back(c);
    }
    std::cout << cases.dump() << "\n";
    return 0;
}
