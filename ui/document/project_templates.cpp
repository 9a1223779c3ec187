#include "document/project_templates.h"

#include "document/spec_edits.h"
#include "model/templates.h"

#include <QObject>

#include <algorithm>
#include <QString>

namespace mtl::ui {

const std::vector<BuiltInDataset>& builtInDatasets() {
    static const std::vector<BuiltInDataset> all{BuiltInDataset::Synthetic, BuiltInDataset::SyntheticClassification,
                                                 BuiltInDataset::Relatedness, BuiltInDataset::Fashion2Task,
                                                 BuiltInDataset::MultiFashion};
    return all;
}

core::DatasetSource builtInSource(BuiltInDataset which) {
    core::DatasetSource source;
    switch (which) {
    case BuiltInDataset::Synthetic:
        source.kind = core::DatasetKind::Synthetic;
        source.synthetic.samples = 4000;
        source.synthetic.features = 20;
        source.synthetic.tasks = 3;
        break;
    case BuiltInDataset::SyntheticClassification:
        source.kind = core::DatasetKind::Synthetic;
        source.synthetic.samples = 4000;
        source.synthetic.features = 20;
        source.synthetic.tasks = 3;
        source.synthetic.classification = true;
        break;
    case BuiltInDataset::Relatedness:
        // The defaults: task2…task5 at ρ = 0.9, 0.5, 0, −0.9 with task1; task6 and task7 in conflict.
        source.kind = core::DatasetKind::Relatedness;
        source.relatedness.samples = 4000;
        break;
    case BuiltInDataset::Fashion2Task:
        source.kind = core::DatasetKind::Fashion;
        source.fashion.tasks = core::FashionTasks::ItemAndGroup;
        source.fashion.samples = 20000;
        break;
    case BuiltInDataset::MultiFashion:
        source.kind = core::DatasetKind::Fashion;
        source.fashion.tasks = core::FashionTasks::MultiFashion;
        source.fashion.samples = 20000;
        break;
    }
    return source;
}

QString builtInTitle(BuiltInDataset which) {
    switch (which) {
    case BuiltInDataset::Synthetic: return QObject::tr("Synthetic regression (3 related tasks)");
    case BuiltInDataset::SyntheticClassification: return QObject::tr("Synthetic classification (3 tasks)");
    case BuiltInDataset::Relatedness: return QObject::tr("Synthetic, known task relations (7 tasks)");
    case BuiltInDataset::Fashion2Task: return QObject::tr("Fashion-MNIST: item and group");
    case BuiltInDataset::MultiFashion: return QObject::tr("MultiFashion: left and right item");
    }
    return {};
}

core::DataSchema probeSchema(const core::DatasetSource& source, const std::string& projectDir) {
    core::DatasetSource small = source;
    small.synthetic.samples = std::min<core::Index>(source.synthetic.samples, 64);
    small.relatedness.samples = std::min<core::Index>(source.relatedness.samples, 64);
    small.fashion.samples = 16;
    return core::loadDataset(small, projectDir).schema;
}

std::vector<core::TaskSpec> tasksFromSchema(const core::DataSchema& schema) {
    std::vector<core::TaskSpec> tasks;
    for (const auto& column : schema.targets) {
        core::TaskSpec task;
        task.name = column.name;
        task.targets = {column.name};
        task.loss = column.isCategorical() ? core::LossKind::SoftmaxCrossEntropy : core::LossKind::MSE;
        tasks.push_back(task);
    }
    return tasks;
}

core::ModelSpec makeTemplateNetwork(const core::DataSchema& schema, const std::vector<core::TaskSpec>& tasks,
                                    NetworkTemplate kind, const std::string& singleTask) {
    core::ModelSpec spec;
    if (kind == NetworkTemplate::Blank) {
        core::NodeSpec input;
        input.id = "input";
        input.kind = core::NodeKind::Input;
        spec.nodes.push_back(input);
        return spec;
    }
    if (schema.inputShape.isImage()) {
        spec = core::makeLeNetModel(tasks, schema);
    } else {
        core::TrunkTemplate recipe;
        recipe.tasks = tasks;
        recipe.sharedUnits = {64, 64};
        recipe.headUnits = {32};
        spec = core::makeTrunkModel(recipe, schema);
    }
    if (kind == NetworkTemplate::SoftTowers) {
        for (auto& node : spec.nodes) {
            if (core::hasParameters(node.kind)) {
                node.sharing = core::SharingMode::Soft;
                node.couplingStrength = 1e-3f;
            }
        }
    }
    if (kind == NetworkTemplate::SingleTask && !tasks.empty()) {
        spec = core::singleTaskBaseline(spec, singleTask.empty() ? tasks.front().name : singleTask);
    }
    return spec;
}

core::Project makeTemplateProject(const core::DatasetSource& source, const core::DataSchema& schema,
                                  NetworkTemplate kind, const std::string& singleTask) {
    core::Project project;
    project.dataset = source;
    project.model = makeTemplateNetwork(schema, tasksFromSchema(schema), kind, singleTask);
    if (schema.inputShape.isImage()) project.training.epochs = 5;
    switch (kind) {
    case NetworkTemplate::HardTrunk: project.name = QObject::tr("Hard-sharing trunk").toStdString(); break;
    case NetworkTemplate::SoftTowers: project.name = QObject::tr("Soft-sharing towers").toStdString(); break;
    case NetworkTemplate::Blank:
        project.name = QObject::tr("Blank network").toStdString();
        break;
    case NetworkTemplate::SingleTask:
        project.name = QObject::tr("Single-task baseline: %1").arg(QString::fromStdString(singleTask)).toStdString();
        break;
    }
    return project;
}

core::Project withDataset(const core::Project& project, const core::DatasetSource& source,
                          const core::DataSchema& schema, bool rebuild) {
    core::Project next = project;
    next.dataset = source;
    const auto tasks = tasksFromSchema(schema);
    if (rebuild) {
        next.model = makeTemplateNetwork(schema, tasks, NetworkTemplate::HardTrunk);
        next.training.epochs = schema.inputShape.isImage() ? 5 : 20;
        return next;
    }
    for (const auto& task : tasks) {
        const bool used = std::any_of(next.model.nodes.begin(), next.model.nodes.end(), [&](const core::NodeSpec& n) {
            return n.kind == core::NodeKind::TaskHead &&
                   std::find(n.task.targets.begin(), n.task.targets.end(), task.targets.front()) != n.task.targets.end();
        });
        if (!used) addTask(next.model, task, schema);
    }
    return next;
}

} // namespace mtl::ui
