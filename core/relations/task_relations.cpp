#include "relations/task_relations.h"

#include <cmath>
#include <limits>

namespace mtl::core {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void fill(const SmallMatrix& gram, std::span<const int> present, int tasks, RelationBlock& block) {
    std::fill(block.cosine.begin(), block.cosine.end(), kNaN);
    std::fill(block.norm.begin(), block.norm.end(), kNaN);
    for (std::size_t a = 0; a < present.size(); ++a) {
        const auto i = std::size_t(present[a]);
        const double gii = gram(Index(a), Index(a));
        block.norm[i] = std::sqrt(std::max(0.0, gii));
        for (std::size_t b = 0; b < present.size(); ++b) {
            const auto j = std::size_t(present[b]);
            const double denominator = std::sqrt(gii * gram(Index(b), Index(b)));
            // cos θ_ij = G_ij / √(G_ii G_jj); undefined for a zero gradient.
            block.cosine[i * std::size_t(tasks) + j] =
                denominator > 0.0 ? gram(Index(a), Index(b)) / denominator : kNaN;
        }
    }
}

} // namespace

double magnitudeSimilarity(double a, double b) {
    const double sum = a * a + b * b;
    return sum > 0.0 ? 2.0 * a * b / sum : kNaN;
}

double conflictShare(const RelationBlock& block, int tasks) {
    int pairs = 0, conflicts = 0;
    for (int i = 0; i < tasks; ++i) {
        for (int j = i + 1; j < tasks; ++j) {
            const double c = block.cosine[std::size_t(i * tasks + j)];
            if (std::isnan(c))
                continue;
            ++pairs;
            conflicts += c < 0.0 ? 1 : 0;
        }
    }
    return pairs > 0 ? double(conflicts) / pairs : kNaN;
}

void prepareRelations(const TaskGradients& gradients, int tasks, RelationRecord& record) {
    record.tasks = tasks;
    record.blocks.clear();
    const auto square = std::size_t(tasks) * std::size_t(tasks);
    record.blocks.push_back(
        {"", std::vector<double>(square, kNaN), std::vector<double>(std::size_t(tasks), kNaN)});
    // Per layer only on parameters: representation blocks depend on the batch's size.
    if (gradients.space() != GradientSpace::Parameters || gradients.blocks().size() < 2)
        return;
    for (const SharedBlock& b : gradients.blocks()) {
        record.blocks.push_back({b.nodeId, std::vector<double>(square, kNaN),
                                 std::vector<double>(std::size_t(tasks), kNaN)});
    }
}

void measureRelations(const TaskGradients& gradients, long step, int epoch,
                      RelationRecord& record) {
    record.step = step;
    record.epoch = epoch;
    SmallMatrix gram;
    gradients.gram(gram);
    fill(gram, gradients.present(), record.tasks, record.blocks[0]);
    for (std::size_t k = 1; k < record.blocks.size(); ++k) {
        const SharedBlock& b = gradients.blocks()[k - 1];
        gradients.gram(b.begin, b.size, gram);
        fill(gram, gradients.present(), record.tasks, record.blocks[k]);
    }
}

} // namespace mtl::core
