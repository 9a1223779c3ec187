// The ends of the network: the input node and the task heads. Neither is a layer; a head's
// fields (name, loss, targets, weight) are the task's and are read and written as one object.
#include "model/kinds/kinds.h"
#include "model/names.h"

namespace mtl::core::kinds {

const NodeKindInfo& input() {
    static const NodeKindInfo info{
        .kind = NodeKind::Input,
        .word = "input",
        .title = "Input",
        .description = "The dataset's input features or image",
        .explanation = "Feeds each sample's features (or image, channels × height × width) to the "
                       "layers after it.",
        .family = KindFamily::Input,
    };
    return info;
}

const NodeKindInfo& taskHead() {
    static const NodeKindInfo info{
        .kind = NodeKind::TaskHead,
        .word = "task_head",
        .title = "Task head",
        .description = "Ends a task: its targets, loss and weight",
        .explanation = "Ends a task: its input is the prediction (one value per numeric target, "
                       "one logit per class for Cross-entropy), compared with the task's targets "
                       "by its loss. Training minimises Σ weight × loss over the tasks.",
        .family = KindFamily::Task,
        .keepsShape = true,
        .nodeTitle = [](const NodeSpec& n) { return n.task.name; },
    };
    return info;
}

} // namespace mtl::core::kinds
