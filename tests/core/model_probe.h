#pragma once
// A compiled model on the first rows of a dataset: its total loss and its gradient, for
// finite-difference checks of whole models.

#include "model/model.h"
#include "model/workspace.h"

#include <numeric>
#include <vector>

namespace mtl::test {

using core::Index;

// Total loss (weighted task losses + penalty) and its gradient on the first `batch` rows.
struct Probe {
    const core::Model& model;
    core::Workspace ws;
    std::vector<float> weights;
    Index batch;

    Probe(const core::Model& m, const core::Dataset& data, Index rows)
        : model(m), ws(m, rows), batch(rows) {
        for (const core::TaskInfo& t : m.tasks())
            weights.push_back(t.weight);
        std::vector<Index> order(static_cast<std::size_t>(rows));
        std::iota(order.begin(), order.end(), Index{0});
        loadBatch(m, data, order, ws);
    }
    double loss(const core::Vector& params, bool penalty = true) {
        model.forward(params, ws, batch, {});
        return model.evaluateLosses(ws, batch, weights) +
               (penalty ? model.softPenalty(params, nullptr) : 0.0);
    }
    core::Vector gradient(const core::Vector& params, core::TaskMask tasks, bool penalty) {
        loss(params);
        core::Vector g(params.size());
        model.backward(params, ws, batch, weights, tasks, penalty, g);
        return g;
    }
};

} // namespace mtl::test
