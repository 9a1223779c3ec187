#include "relations/relation_summary.h"

#include "relations/task_relations.h"

#include <cmath>
#include <limits>

namespace mtl::core {

std::vector<RelationSummary> summarizeRelations(const std::vector<RelationRecord>& records,
                                                long fromStep, long toStep) {
    std::vector<RelationSummary> out;
    if (records.empty())
        return out;
    const int n = records.front().tasks;
    const auto square = std::size_t(n * n);
    struct Sums {
        std::vector<double> cosine, magnitude, pairs, norm, normCount;
        double conflicts = 0, measuredPairs = 0;
    };
    std::vector<Sums> sums;
    for (const RelationBlock& b : records.front().blocks) {
        RelationSummary s;
        s.layer = b.layer;
        s.tasks = n;
        out.push_back(s);
        sums.push_back({std::vector<double>(square, 0.0), std::vector<double>(square, 0.0),
                        std::vector<double>(square, 0.0), std::vector<double>(std::size_t(n), 0.0),
                        std::vector<double>(std::size_t(n), 0.0)});
    }
    for (const RelationRecord& r : records) {
        if (r.step < fromStep || (toStep >= 0 && r.step > toStep) || r.blocks.size() != out.size())
            continue;
        for (std::size_t k = 0; k < r.blocks.size(); ++k) {
            const RelationBlock& b = r.blocks[k];
            Sums& s = sums[k];
            ++out[k].measurements;
            for (int i = 0; i < n; ++i) {
                if (!std::isnan(b.norm[std::size_t(i)])) {
                    s.norm[std::size_t(i)] += b.norm[std::size_t(i)];
                    s.normCount[std::size_t(i)] += 1;
                }
                for (int j = 0; j < n; ++j) {
                    const auto ij = std::size_t(i * n + j);
                    if (std::isnan(b.cosine[ij]))
                        continue;
                    s.cosine[ij] += b.cosine[ij];
                    s.magnitude[ij] +=
                        magnitudeSimilarity(b.norm[std::size_t(i)], b.norm[std::size_t(j)]);
                    s.pairs[ij] += 1;
                    if (i < j) {
                        s.measuredPairs += 1;
                        s.conflicts += b.cosine[ij] < 0 ? 1 : 0;
                    }
                }
            }
        }
    }
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t k = 0; k < out.size(); ++k) {
        Sums& s = sums[k];
        out[k].cosine.resize(square);
        out[k].magnitude.resize(square);
        out[k].norm.resize(std::size_t(n));
        for (std::size_t ij = 0; ij < square; ++ij) {
            out[k].cosine[ij] = s.pairs[ij] > 0 ? s.cosine[ij] / s.pairs[ij] : kNaN;
            out[k].magnitude[ij] = s.pairs[ij] > 0 ? s.magnitude[ij] / s.pairs[ij] : kNaN;
        }
        for (std::size_t i = 0; i < std::size_t(n); ++i)
            out[k].norm[i] = s.normCount[i] > 0 ? s.norm[i] / s.normCount[i] : kNaN;
        out[k].conflictShare = s.measuredPairs > 0 ? s.conflicts / s.measuredPairs : kNaN;
    }
    return out;
}

} // namespace mtl::core
