#include "training/settings_form.h"

#include "document/project_document.h"
#include "model/names.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QSignalBlocker>
#include <QSpinBox>

namespace mtl::ui {

SettingsForm::SettingsForm(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_form(new QFormLayout(this)) {
    setObjectName("trainingSettings");
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    auto* optimizer = new QComboBox(this);
    optimizer->setObjectName("optimizer");
    for (auto kind : {core::OptimizerKind::Adam, core::OptimizerKind::AdamW, core::OptimizerKind::SGD, core::OptimizerKind::RMSprop}) {
        optimizer->addItem(QString::fromUtf8(core::toString(kind).data()), int(kind));
    }
    m_form->addRow(tr("Optimizer"), optimizer);
    m_loads.push_back([optimizer](const core::TrainingSettings& s) {
        optimizer->setCurrentIndex(optimizer->findData(int(s.optimizer.kind)));
    });
    connect(optimizer, &QComboBox::activated, this, [this, optimizer] {
        const auto kind = static_cast<core::OptimizerKind>(optimizer->currentData().toInt());
        commit({}, tr("Set optimizer to %1").arg(optimizer->currentText()), [kind](auto& s) { s.optimizer.kind = kind; });
    });

    addReal("learningRate", tr("Learning rate"), 1e-6, 10.0, 6, 1e-4, [](auto& s) -> float& { return s.optimizer.learningRate; });

    auto* schedule = new QComboBox(this);
    schedule->setObjectName("schedule");
    for (auto kind : {core::ScheduleKind::Constant, core::ScheduleKind::Step, core::ScheduleKind::Cosine}) {
        schedule->addItem(QString::fromUtf8(core::toString(kind).data()), int(kind));
    }
    m_form->addRow(tr("Schedule"), schedule);
    m_loads.push_back([schedule](const core::TrainingSettings& s) { schedule->setCurrentIndex(schedule->findData(int(s.schedule.kind))); });
    connect(schedule, &QComboBox::activated, this, [this, schedule] {
        const auto kind = static_cast<core::ScheduleKind>(schedule->currentData().toInt());
        commit({}, tr("Set schedule to %1").arg(schedule->currentText()), [kind](auto& s) { s.schedule.kind = kind; });
    });

    addInt("warmupSteps", tr("Warm-up steps"), 0, 1'000'000, [](const auto& s) { return s.schedule.warmupSteps; },
           [](auto& s, long long v) { s.schedule.warmupSteps = long(v); });
    addInt("batchSize", tr("Batch size"), 1, 65536, [](const auto& s) { return s.batchSize; },
           [](auto& s, long long v) { s.batchSize = core::Index(v); });
    addInt("epochs", tr("Epochs"), 1, 100000, [](const auto& s) { return s.epochs; },
           [](auto& s, long long v) { s.epochs = int(v); });
    addReal("weightDecay", tr("Weight decay"), 0.0, 1.0, 6, 1e-4, [](auto& s) -> float& { return s.optimizer.weightDecay; });
    addReal("validationFraction", tr("Validation share"), 0.0, 0.9, 2, 0.05, [](auto& s) -> float& { return s.validationFraction; });
    auto* patience = static_cast<QSpinBox*>(addInt("earlyStoppingPatience", tr("Early stopping"), 0, 10000,
        [](const auto& s) { return s.earlyStoppingPatience; }, [](auto& s, long long v) { s.earlyStoppingPatience = int(v); }));
    patience->setSpecialValueText(tr("off"));
    patience->setSuffix(tr(" epochs"));
    patience->setToolTip(
        tr("Stop when the validation loss has not improved for this many epochs."));

    auto* keep = new QComboBox(this);
    keep->setObjectName("restoreBestWeights");
    keep->addItem(tr("best validation epoch"), true);
    keep->addItem(tr("last epoch"), false);
    keep->setToolTip(tr(
        "Which weights the run ends with, is saved with and exported: those of the epoch with the "
        "lowest validation loss, or those of the last epoch trained. Without a validation share "
        "the last epoch's are kept."));
    m_form->addRow(tr("Keep weights of"), keep);
    m_loads.push_back([keep](const core::TrainingSettings& s) {
        keep->setCurrentIndex(s.restoreBestWeights ? 0 : 1);
    });
    connect(keep, &QComboBox::activated, this, [this, keep] {
        const bool best = keep->currentData().toBool();
        commit({}, tr("Keep the weights of the %1").arg(keep->currentText()),
               [best](auto& s) { s.restoreBestWeights = best; });
    });
    auto* threads = static_cast<QSpinBox*>(addInt("threads", tr("Threads"), 0, 256, [](const auto& s) { return s.threads; },
                                                  [](auto& s, long long v) { s.threads = int(v); }));
    threads->setSpecialValueText(tr("automatic"));
    auto* relations = static_cast<QSpinBox*>(addInt("relationsEvery", tr("Task relations"), 0, 100000,
        [](const auto& s) { return s.relationsEvery; }, [](auto& s, long long v) { s.relationsEvery = int(v); }));
    relations->setSpecialValueText(tr("off"));
    relations->setPrefix(tr("every "));
    relations->setSuffix(tr(" steps"));
    relations->setToolTip(tr("How often the tasks' gradients on the shared layers are compared (the Task relations "
                             "view). Free with a gradient-based balancing method; otherwise one backward pass per "
                             "task at those steps."));
    addInt("seed", tr("Seed"), 0, 2'000'000'000, [](const auto& s) { return static_cast<long long>(s.seed); },
           [](auto& s, long long v) { s.seed = std::uint64_t(v); });

    connect(document, &ProjectDocument::changed, this, &SettingsForm::sync);
    sync();
}

QWidget* SettingsForm::field(const QString& name) const { return findChild<QWidget*>(name); }

QWidget* SettingsForm::addInt(const QString& key, const QString& label, int min, int max,
                              std::function<long long(const core::TrainingSettings&)> get,
                              std::function<void(core::TrainingSettings&, long long)> set) {
    auto* box = new QSpinBox(this);
    box->setObjectName(key);
    box->setRange(min, max);
    box->setKeyboardTracking(false);
    m_form->addRow(label, box);
    m_loads.push_back([box, get](const core::TrainingSettings& s) { box->setValue(int(get(s))); });
    connect(box, &QSpinBox::valueChanged, this, [this, key, label, set](int value) {
        commit(key, tr("Set %1 to %2").arg(label.toLower()).arg(value), [&](auto& s) { set(s, value); });
    });
    return box;
}

void SettingsForm::addReal(const QString& key, const QString& label, double min, double max, int decimals,
                           double step, std::function<float&(core::TrainingSettings&)> access) {
    auto* box = new QDoubleSpinBox(this);
    box->setObjectName(key);
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setSingleStep(step);
    box->setKeyboardTracking(false);
    m_form->addRow(label, box);
    m_loads.push_back([box, access](const core::TrainingSettings& s) {
        core::TrainingSettings copy = s;
        box->setValue(double(access(copy)));
    });
    connect(box, &QDoubleSpinBox::valueChanged, this, [this, key, label, access](double value) {
        commit(key, tr("Set %1 to %2").arg(label.toLower()).arg(value), [&](auto& s) { access(s) = float(value); });
    });
}

void SettingsForm::commit(const QString& key, const QString& text, const Edit& edit) {
    if (m_updating) return;
    core::Project next = m_document->project();
    edit(next.training);
    m_document->edit(text, next, key.isEmpty() ? QString() : "training." + key);
}

void SettingsForm::sync() {
    m_updating = true;
    for (QWidget* child : findChildren<QWidget*>()) child->blockSignals(true);
    for (const auto& load : m_loads) load(m_document->project().training);
    for (QWidget* child : findChildren<QWidget*>()) child->blockSignals(false);
    m_updating = false;
}

} // namespace mtl::ui
