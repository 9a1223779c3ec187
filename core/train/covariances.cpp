#include "train/covariances.h"

#include <bit>
#include <cmath>

namespace mtl::core {
namespace {

std::vector<std::string> taskNames(const Model& model, const SoftGroup& group) {
    std::vector<std::string> names;
    for (TaskMask m = group.tasks; m != 0; m &= m - 1)
        names.push_back(model.tasks()[std::size_t(std::countr_zero(m))].name);
    return names;
}

} // namespace

std::vector<LearnedCovariance> learnedCovariances(const Model& model,
                                                  const Relationships& relationships) {
    std::vector<LearnedCovariance> out;
    for (std::size_t g = 0; g < model.softGroups().size(); ++g) {
        const SoftGroup& group = model.softGroups()[g];
        if (group.coupling != Coupling::Relationship)
            continue;
        LearnedCovariance c{group.nodeId, taskNames(model, group), {}};
        const SmallMatrix& omega = relationships.omega[g];
        for (Index r = 0; r < omega.rows(); ++r) {
            for (Index k = 0; k < omega.cols(); ++k)
                c.omega.push_back(omega(r, k));
        }
        out.push_back(std::move(c));
    }
    return out;
}

Relationships relationshipsFrom(const Model& model,
                                const std::vector<LearnedCovariance>& recorded) {
    Relationships r = model.initialRelationships();
    for (std::size_t g = 0; g < model.softGroups().size(); ++g) {
        const SoftGroup& group = model.softGroups()[g];
        for (const LearnedCovariance& c : recorded) {
            if (c.nodeId != group.nodeId || c.tasks != taskNames(model, group))
                continue;
            const auto n = static_cast<Index>(c.tasks.size());
            SmallMatrix omega(n, n);
            for (Index i = 0; i < n; ++i) {
                for (Index k = 0; k < n; ++k)
                    omega(i, k) = c.omega[std::size_t(i * n + k)];
            }
            r.set(g, omega);
        }
    }
    return r;
}

double correlation(const LearnedCovariance& c, std::size_t i, std::size_t j) {
    const std::size_t n = c.tasks.size();
    return c.omega[i * n + j] / std::sqrt(c.omega[i * n + i] * c.omega[j * n + j]);
}

} // namespace mtl::core
