// toy_trajectories [STEPS] > toy.csv: the paths of several balancing methods on the two-objective
// toy problem (tests/balancing/toy_problem.h) from the papers' three starts, as CSV
// (method, start, step, x1, x2, loss1, loss2) — for docs/balancing-toy.py's plot.

#include "toy_problem.h"

#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
    const long steps = argc > 1 ? std::atol(argv[1]) : 100000;
    const long every = std::max(1L, steps / 1000);
    std::printf("method,start,step,x1,x2,loss1,loss2\n");
    for (const char* name :
         {"equal", "mgda", "pcgrad", "cagrad", "nash_mtl", "upgrad", "imtl_g", "fairgrad"}) {
        const mtl::core::BalancingSettings method = mtl::core::parseBalancing(name);
        for (std::size_t s = 0; s < mtl::toy::starts().size(); ++s) {
            const auto path = mtl::toy::trajectory(method, mtl::toy::starts()[s], steps, every);
            for (std::size_t i = 0; i < path.size(); ++i) {
                const auto e = mtl::toy::evaluate(path[i]);
                std::printf("%s,%zu,%ld,%.6g,%.6g,%.6g,%.6g\n", name, s, long(i) * every,
                            path[i].x1, path[i].x2, e.loss[0], e.loss[1]);
            }
        }
    }
    return 0;
}
