// balancing_probe: runs one of our balancing methods over a sequence of steps given as JSON on
// standard input and prints, per step, the direction and weights it chose — for
// compare_reference.py, which checks them against reference.py (the methods written from the
// papers' equations, independently of this code).
//
// Input:  {"method": "cagrad:c=0.5", "tasks": T, "seed": S,
//          "steps": [{"J": [[…] × T], "losses": [… T, null = absent], "lr": x,
//                     "user_weights": [… T], "losses_after": [… T] (FAMO),
//                     "epoch_end": [… T] (after the step; DWA)}, …]}
// Output: {"steps": [{"d": […], "w": [… T], "orders": [[…]] (PCGrad), "z": […] (RLW)}, …]}
// The random draws PCGrad and RLW make are printed so the reference can use the same ones.

#include "balancing/methods.h"
#include "balancing/strategy.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <limits>

using namespace mtl::core;
using Json = nlohmann::json;

namespace {

std::vector<double> numbers(const Json& j) {
    std::vector<double> out;
    for (const Json& v : j)
        out.push_back(v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>());
    return out;
}

Json runStep(BalancingStrategy& strategy, const BalancingSettings& settings, const Json& step,
             Rng& rng, int tasks) {
    const Json& rows = step.at("J");
    const auto width = Index(rows.at(0).size());
    Matrix jacobian(tasks, width);
    for (int t = 0; t < tasks; ++t) {
        const std::vector<double> row = numbers(rows.at(std::size_t(t)));
        for (Index i = 0; i < width; ++i)
            jacobian(t, i) = float(row[std::size_t(i)]);
    }
    const std::vector<double> losses = numbers(step.at("losses"));
    std::vector<float> userWeights(std::size_t(tasks), 1.0f);
    if (step.contains("user_weights")) {
        const std::vector<double> w = numbers(step["user_weights"]);
        for (int t = 0; t < tasks; ++t)
            userWeights[std::size_t(t)] = float(w[std::size_t(t)]);
    }
    std::array<int, kMaxTasks> present{};
    Index n = 0;
    SmallVector presentLosses(tasks);
    for (int t = 0; t < tasks; ++t) {
        if (std::isnan(losses[std::size_t(t)]))
            continue;
        present[std::size_t(n)] = t;
        presentLosses(n++) = losses[std::size_t(t)];
    }
    presentLosses.conservativeResize(n);
    // G in double from the same float gradients the trainer would hold.
    SmallMatrix gram(n, n);
    for (Index a = 0; a < n; ++a) {
        for (Index b = 0; b < n; ++b) {
            gram(a, b) = jacobian.row(present[std::size_t(a)])
                             .cast<double>()
                             .dot(jacobian.row(present[std::size_t(b)]).cast<double>());
        }
    }
    BalancingInput input;
    input.tasks = std::span<const int>(present.data(), std::size_t(n));
    input.losses = &presentLosses;
    input.gram = &gram;
    input.userWeights = userWeights;
    input.learningRate = float(step.value("lr", 0.001));
    input.rng = &rng;

    Json out;
    // The draws the method is about to make, from a copy of the generator.
    if (settings.kind == BalancingKind::PcGrad) {
        Rng copy = rng;
        std::array<std::array<int, kMaxTasks>, kMaxTasks> orders{};
        balancing::pcgradOrders(copy, n, orders);
        out["orders"] = Json::array();
        for (int t = 0; t < tasks; ++t)
            out["orders"].push_back(Json::array()); // absent tasks: none
        for (Index i = 0; i < n; ++i) {
            Json& order = out["orders"][std::size_t(present[std::size_t(i)])];
            for (Index k = 0; k < n; ++k)
                order.push_back(present[std::size_t(orders[std::size_t(i)][std::size_t(k)])]);
        }
    }
    if (settings.kind == BalancingKind::Rlw) {
        Rng copy = rng;
        SmallVector z;
        balancing::rlwDraws(copy, n, z);
        out["z"] = Json::array();
        for (int t = 0; t < tasks; ++t)
            out["z"].push_back(0.0);
        for (Index k = 0; k < n; ++k)
            out["z"][std::size_t(present[std::size_t(k)])] = z(k);
    }

    SmallVector weights;
    Vector d = Vector::Zero(width);
    if (strategy.writesDirection()) {
        strategy.writeDirection(input, jacobian, std::span<float>(d.data(), std::size_t(width)),
                                weights);
    } else {
        strategy.combine(input, weights);
        for (Index k = 0; k < n; ++k)
            d += float(weights(k)) * jacobian.row(present[std::size_t(k)]).transpose();
    }
    if (strategy.needsLossesAfterStep()) {
        const std::vector<double> after = numbers(step.at("losses_after"));
        std::vector<float> values(after.begin(), after.end());
        strategy.afterStep(values);
    }
    if (step.contains("epoch_end"))
        strategy.endEpoch(numbers(step["epoch_end"]));
    std::vector<double> w(std::size_t(tasks), 0.0);
    for (Index k = 0; k < n; ++k)
        w[std::size_t(present[std::size_t(k)])] = weights(k);
    out["w"] = w;
    out["d"] = std::vector<double>(d.data(), d.data() + width);
    return out;
}

} // namespace

int main() {
    try {
        const Json request = Json::parse(std::cin);
        const BalancingSettings settings = parseBalancing(request.at("method").get<std::string>());
        const int tasks = request.at("tasks").get<int>();
        const Json& steps = request.at("steps");
        const auto width = Index(steps.at(0).at("J").at(0).size());
        auto strategy = makeBalancingStrategy(settings, tasks, width);
        Rng rng(request.value("seed", 1U));
        Json reply;
        reply["steps"] = Json::array();
        for (const Json& step : steps)
            reply["steps"].push_back(runStep(*strategy, settings, step, rng, tasks));
        std::cout << reply.dump() << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "balancing_probe: " << e.what() << "\n";
        return 1;
    }
}
