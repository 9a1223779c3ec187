// The exported package's README.md: how to load, predict and continue training, and which
// task-balancing methods train.py continues.

#include "export/pytorch_export.h"

#include "balancing/balancing_method.h"

#include <nlohmann/json.hpp>

namespace mtl::core {

namespace {

// The README's part on task balancing: which methods train.py continues and how.
std::string balancingReadme(const BalancingSettings& project) {
    // balancing.py has every method but MGDA-UB, on the shared parameters only.
    std::string continued;
    for (const BalancingMethod& m : balancingMethods()) {
        if (m.kind != BalancingKind::MgdaUb)
            continued += (continued.empty() ? "`" : ", `") + m.name + "`";
    }
    const bool continuable = project.space() == GradientSpace::Parameters;
    const std::string chosen =
        balancingMethod(project.kind).title + " (`" + formatBalancing(project) + "`)";
    return R"(
## Task balancing

This project balances its tasks with )" +
           chosen + (continuable ? ", and `train.py` continues with it." : R"(, which `train.py`
cannot continue (see below): give it `--balancing`.)") +
           R"(
`balancing.py` holds the app's methods, with their algorithms and defaults:

)" + continued +
           R"(.

Gradient-based methods take each task's gradient on the shared parameters (`shared_parameters` in
config.json: the hard-shared layers; one backward pass per task) and update them along the
combination the method chooses; task-specific parameters take their own task's gradient. With
`--processes`, each task's gradient and loss are averaged over the workers whose batch has the
task before they are combined, so every worker takes the same step.

What a method learned during the app's run is not exported yet and starts afresh: uncertainty
weighting's log σ² (from its `init`), DWA's epoch losses, FAMO's weight logits, GradNorm's weights
and first losses, DB-MTL's gradient averages, Nash-MTL's and FairGrad's fallback weights (for a
step where no direction improves every task). train.py says so when it starts.

It cannot continue MGDA-UB or a method with `space=representation` (gradients on the shared
representation): it stops and says so. `--balancing NAME[:PARAM=VALUE,…]` chooses another method,
as `mtl train --balancing` does, e.g. `python3 train.py --balancing equal` or
`--balancing cagrad:c=0.4`.
)";
}

} // namespace

std::string pytorchReadme(const nlohmann::ordered_json& config,
                          const BalancingSettings& balancing) {
    std::string tasks;
    for (const auto& t : config["tasks"])
        tasks +=
            "- `" + t["name"].get<std::string>() + "` (" + t["loss"].get<std::string>() + ")\n";
    return R"(# Exported from MTL Workbench

Tasks:
)" + tasks +
           R"(
```python
import torch
from model import load
model = load()                       # weights.npz
x = torch.tensor(rows, dtype=torch.float32)   # raw features, NaN where missing
print(model.predict(x))              # values in the columns' units / class probabilities
```

Continue training (same optimizer, schedule, task weights, soft-sharing penalty and task
balancing, see below):

```sh
python3 train.py --epochs 5                              # CPU or one GPU
python3 train.py --epochs 5 --processes 4                # 4 local workers, DistributedDataParallel
torchrun --nnodes 2 --nproc_per_node 4 --rdzv-endpoint HOST:29500 train.py --epochs 5
                                                         # several machines (PyTorch ≥ 2's torchrun)
```

`--processes N` starts the workers itself (one per GPU when there are GPUs, else CPU workers that
share the cores over gloo) and works with any PyTorch; Debian 12's `torchrun` (PyTorch 1.13 with
Python 3.11) fails before starting a worker. With several workers, train.py prints the largest
weight difference between them at the end (0: they stayed in step).

`train.py` reads `sample_data.npz` unless given `--data FILE.npz` (arrays `inputs` [rows,
features], raw, and `targets` [rows, columns], class indices or values, NaN where missing) and
writes `trained.npz`, which `load("trained.npz")` reads.
)" + balancingReadme(balancing);
}

} // namespace mtl::core
