// Prints the core's mixtures of experts — MMoE (shared experts) and one CGC level (each task's
// own experts, then shared ones) with dense + ReLU experts, an expert gate and a dense head per
// task — on random parameters: the inputs, targets, every parameter, the task outputs, the loss
// and its gradient, in the layout of reference_moe.py (written from the papers' equations), as
// JSON for compare_moe.py.
#include "data/synthetic.h"
#include "model/model.h"
#include "model/workspace.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <numeric>
#include <random>

using namespace mtl::core;
using Json = nlohmann::json;

namespace {

struct Case {
    const char* name;
    int tasks;
    int own;    // experts per task (CGC)
    int shared; // experts shared by every task
    int inputs;
    int width; // each expert's output
    Index rows;
};

ModelSpec spec(const Case& c) {
    ModelSpec s;
    const auto add = [&](const std::string& id, NodeKind kind, const std::string& from) {
        NodeSpec n;
        n.id = id;
        n.kind = kind;
        s.nodes.push_back(n);
        if (!from.empty())
            s.edges.push_back({from, id});
        return &s.nodes.back();
    };
    add("input", NodeKind::Input, "");
    add("gate", NodeKind::ExpertGate, "");
    // The gate's inputs in the reference's order: the task's own experts, then the shared.
    for (int e = 0; e < c.own + c.shared; ++e) {
        const bool own = e < c.own;
        const std::string id = (own ? "own" : "shared") + std::to_string(own ? e : e - c.own);
        NodeSpec* dense = add(id, NodeKind::Dense, "input");
        dense->units = c.width;
        dense->sharing = own ? SharingMode::Soft : SharingMode::Hard; // λ = 0: independent
        add(id + "_relu", NodeKind::ReLU, id);
        s.edges.push_back({id + "_relu", "gate"});
    }
    for (int t = 0; t < c.tasks; ++t) {
        const std::string name = "t" + std::to_string(t + 1);
        add(name + "_out", NodeKind::Dense, "gate")->units = 1;
        NodeSpec* head = add(name, NodeKind::TaskHead, name + "_out");
        head->task.name = name;
        head->task.loss = LossKind::MSE;
        head->task.targets = {"task" + std::to_string(t + 1)};
        head->task.weight = 0.5f + 0.4f * float(t);
    }
    return s;
}

// A matrix [rows, cols] stored row-major at p.
Json matrix(const float* p, Index rows, Index cols) {
    Json out = Json::array();
    for (Index r = 0; r < rows; ++r)
        out.push_back(std::vector<double>(p + r * cols, p + (r + 1) * cols));
    return out;
}

// A node's parameter copy `copy` (soft: per task; hard: 0) as {weight, bias} for a [in, out]
// weight matrix followed by its bias.
std::pair<Json, Json> dense(const Model& model, const Vector& v, const std::string& id, int copy,
                            Index in, Index out) {
    const int layer = model.findLayer(id);
    const Index offset = model.layerCopies(layer)[std::size_t(copy)];
    const float* p = v.data() + offset;
    return {matrix(p, in, out), std::vector<double>(p + in * out, p + in * out + out)};
}

// Every parameter, in the reference's layout.
Json parameters(const Case& c, const Model& model, const Vector& v) {
    const Index d = c.inputs;
    const Index h = c.width;
    const Index experts = c.own + c.shared;
    Json p{{"Us", Json::array()}, {"cs", Json::array()}, {"Ut", Json::array()},
           {"ct", Json::array()}, {"W", Json::array()},  {"b", Json::array()},
           {"V", Json::array()},  {"a", Json::array()}};
    for (int e = 0; e < c.shared; ++e) {
        auto [w, b] = dense(model, v, "shared" + std::to_string(e), 0, d, h);
        p["Us"].push_back(w);
        p["cs"].push_back(b);
    }
    for (int t = 0; t < c.tasks; ++t) {
        Json ut = Json::array();
        Json ct = Json::array();
        for (int e = 0; e < c.own; ++e) {
            auto [w, b] = dense(model, v, "own" + std::to_string(e), t, d, h);
            ut.push_back(w);
            ct.push_back(b);
        }
        p["Ut"].push_back(ut);
        p["ct"].push_back(ct);
        auto [gw, gb] = dense(model, v, "gate", t, d, experts);
        p["W"].push_back(gw);
        p["b"].push_back(gb);
        auto [hw, hb] = dense(model, v, "t" + std::to_string(t + 1) + "_out", 0, h, 1);
        p["V"].push_back(hw);
        p["a"].push_back(hb);
    }
    return p;
}

} // namespace

int main() {
    const Case cases[] = {{"mmoe", 2, 0, 3, 5, 4, 7},
                          {"mmoe", 3, 0, 4, 6, 3, 9},
                          {"cgc", 2, 1, 2, 5, 4, 8},
                          {"cgc", 3, 2, 1, 4, 5, 6}};
    Json out = Json::array();
    std::mt19937_64 rng(99);
    for (const Case& c : cases) {
        SyntheticSettings settings;
        settings.samples = c.rows;
        settings.features = c.inputs;
        settings.latent = 3;
        settings.tasks = c.tasks;
        const Dataset data = makeSyntheticDataset(settings);
        const Model model = compile(spec(c), data.schema);
        Vector v;
        model.initialize(v, rng);
        std::normal_distribution<float> jitter(0.0f, 0.4f); // biases and gates away from 0
        for (Index i = 0; i < v.size(); ++i)
            v[i] += jitter(rng);
        Workspace ws(model, c.rows);
        std::vector<Index> rows(std::size_t(c.rows));
        std::iota(rows.begin(), rows.end(), Index{0});
        loadBatch(model, data, rows, ws);
        std::vector<float> weights;
        for (const TaskInfo& t : model.tasks())
            weights.push_back(t.weight);
        model.forward(v, ws, c.rows, {});
        const double loss = model.evaluateLosses(ws, c.rows, weights);
        Json outputs = Json::array();
        Json targets = Json::array();
        for (int t = 0; t < c.tasks; ++t) {
            const Matrix y = model.taskOutput(ws, t, c.rows);
            outputs.push_back(matrix(y.data(), c.rows, 1));
            targets.push_back(matrix(ws.taskTargets[std::size_t(t)].data(), c.rows, 1));
        }
        Vector g(v.size());
        model.backward(v, ws, c.rows, weights, model.allTasks(), false, g);
        out.push_back(Json{{"architecture", c.name},
                           {"tasks", c.tasks},
                           {"task_weights", weights},
                           {"x", matrix(ws.input.data(), c.rows, c.inputs)},
                           {"targets", targets},
                           {"parameters", parameters(c, model, v)},
                           {"outputs", outputs},
                           {"loss", loss},
                           {"gradient", parameters(c, model, g)}});
    }
    std::cout << out.dump() << "\n";
    return 0;
}
