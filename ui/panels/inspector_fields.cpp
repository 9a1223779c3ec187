// The inspector's sharing and task-head fields (the rest are in inspector_panel.cpp).
#include "panels/inspector_panel.h"

#include "document/node_text.h"
#include "document/project_document.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QSpinBox>

namespace mtl::ui {

using core::NodeSpec;

namespace {
constexpr float kDefaultCoupling = 1e-3f;
} // namespace

void InspectorPanel::addSharingFields() {
    auto* mode = new QComboBox(m_formHost);
    mode->setObjectName("sharing");
    mode->addItem(tr("Hard — one set of weights"), int(core::SharingMode::Hard));
    mode->addItem(tr("Soft — one copy per task"), int(core::SharingMode::Soft));
    mode->setToolTip(tr("How the tasks that flow through this layer share it"));
    auto* lambda = new QDoubleSpinBox(m_formHost);
    lambda->setObjectName("couplingStrength");
    lambda->setDecimals(6);
    lambda->setRange(0.0, 1000.0);
    lambda->setSingleStep(0.0005);
    lambda->setKeyboardTracking(false);
    lambda->setToolTip(tr("λ: how strongly the per-task copies are pulled towards their mean"));
    m_form->addRow(tr("Sharing"), mode);
    m_form->addRow(tr("Coupling λ"), lambda);
    m_fields.insert("sharing", mode);
    m_fields.insert("couplingStrength", lambda);
    m_bindings.push_back({mode, [this, mode](const NodeSpec& n) {
                              mode->setCurrentIndex(mode->findData(int(n.sharing)));
                              mode->setEnabled(m_document->tasksThrough(n.id).size() > 1 ||
                                               n.sharing == core::SharingMode::Soft);
                          }});
    m_bindings.push_back({lambda, [lambda](const NodeSpec& n) {
                              lambda->setValue(double(n.couplingStrength));
                              lambda->setEnabled(n.sharing == core::SharingMode::Soft);
                          }});
    connect(mode, &QComboBox::activated, this, [this, mode](int) {
        const auto sharing = static_cast<core::SharingMode>(mode->currentData().toInt());
        const QString text = sharing == core::SharingMode::Soft ? tr("Switch %1 to soft sharing").arg(m_id)
                                                                : tr("Switch %1 to hard sharing").arg(m_id);
        commit("sharing", text, [&](NodeSpec& n) {
            n.sharing = sharing;
            // λ is stored with soft sharing only; a first switch starts from a mild coupling.
            if (sharing == core::SharingMode::Soft && n.couplingStrength == 0.0f) n.couplingStrength = kDefaultCoupling;
        }, false);
    });
    connect(lambda, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        commit("couplingStrength", tr("Set λ of %1 to %2").arg(m_id).arg(value),
               [&](NodeSpec& n) { n.couplingStrength = float(value); });
    });
    addCouplingFields();
}

// Which penalty ties the soft copies together, and how often MTRL re-learns Ω.
void InspectorPanel::addCouplingFields() {
    auto* coupling = new QComboBox(m_formHost);
    coupling->setObjectName("coupling");
    coupling->addItem(tr("L2 to the mean"), int(core::Coupling::MeanL2));
    coupling->addItem(tr("Trace norm (low rank)"), int(core::Coupling::TraceNorm));
    coupling->addItem(tr("Learned relationships (MTRL)"), int(core::Coupling::Relationship));
    coupling->setToolTip(
        tr("L2 to the mean: λ Σ‖W_t − W̄‖², every copy pulled to the average.\n"
           "Trace norm: λ‖[W_1 … W_T]‖_*, the copies pushed to span few directions.\n"
           "Learned relationships: λ tr(W Ω⁻¹ Wᵀ) with the task covariance Ω learned "
           "from the weights; related tasks pulled together, unrelated ones left free "
           "(Ω is shown under Task relations)."));
    auto* every = new QSpinBox(m_formHost);
    every->setObjectName("relationshipEvery");
    every->setRange(0, 1'000'000);
    every->setSpecialValueText(tr("each epoch"));
    every->setSuffix(tr(" steps"));
    every->setKeyboardTracking(false);
    every->setToolTip(
        tr("How often Ω is learned again from the weights; between updates it is held fixed"));
    m_form->addRow(tr("Coupling"), coupling);
    m_form->addRow(tr("Learn Ω every"), every);
    m_fields.insert("coupling", coupling);
    m_fields.insert("relationshipEvery", every);
    m_bindings.push_back({coupling, [coupling](const NodeSpec& n) {
                              coupling->setCurrentIndex(coupling->findData(int(n.coupling)));
                              coupling->setEnabled(n.sharing == core::SharingMode::Soft);
                          }});
    m_bindings.push_back({every, [every](const NodeSpec& n) {
                              every->setValue(n.relationshipEvery);
                              every->setEnabled(n.sharing == core::SharingMode::Soft &&
                                                n.coupling == core::Coupling::Relationship);
                          }});
    connect(coupling, &QComboBox::activated, this, [this, coupling](int) {
        const auto kind = static_cast<core::Coupling>(coupling->currentData().toInt());
        commit(
            "coupling", tr("Set coupling of %1 to %2").arg(m_id, coupling->currentText()),
            [&](NodeSpec& n) { n.coupling = kind; }, false);
    });
    connect(every, &QSpinBox::valueChanged, this, [this](int value) {
        commit("relationshipEvery", tr("Learn Ω of %1 every %2 steps").arg(m_id).arg(value),
               [&](NodeSpec& n) { n.relationshipEvery = value; });
    });

    auto* stitch = new QCheckBox(tr("Mix the copies' outputs"), m_formHost);
    stitch->setObjectName("crossStitch");
    stitch->setToolTip(
        tr("A cross-stitch unit (Misra et al. 2016) after the layer: each task's output becomes a "
           "learned mix of all the copies' outputs, starting at 0.9 own, 0.1 others"));
    m_form->addRow(tr("Cross-stitch"), stitch);
    m_fields.insert("crossStitch", stitch);
    m_bindings.push_back({stitch, [stitch](const NodeSpec& n) {
                              stitch->setChecked(n.crossStitch);
                              stitch->setEnabled(n.sharing == core::SharingMode::Soft ||
                                                 n.crossStitch);
                          }});
    connect(stitch, &QCheckBox::toggled, this, [this](bool on) {
        commit(
            "crossStitch",
            on ? tr("Add a cross-stitch unit after %1").arg(m_id)
               : tr("Remove the cross-stitch unit after %1").arg(m_id),
            [&](NodeSpec& n) { n.crossStitch = on; }, false);
    });
}

void InspectorPanel::addTaskFields() {
    auto* name = new QLineEdit(m_formHost);
    name->setObjectName("name");
    m_form->addRow(tr("Task name"), name);
    m_fields.insert("name", name);
    m_bindings.push_back({name, [name](const NodeSpec& n) {
                              if (name->text() != QString::fromStdString(n.task.name)) name->setText(QString::fromStdString(n.task.name));
                          }});
    connect(name, &QLineEdit::editingFinished, this, [this, name] {
        const std::string text = name->text().trimmed().toStdString();
        commit("name", tr("Rename task to %1").arg(name->text().trimmed()),
               [&](NodeSpec& n) { n.task.name = text; }, false);
    });

    auto* loss = new QComboBox(m_formHost);
    loss->setObjectName("loss");
    for (auto kind : {core::LossKind::MSE, core::LossKind::MAE, core::LossKind::Huber,
                      core::LossKind::SoftmaxCrossEntropy, core::LossKind::BinaryCrossEntropy}) {
        loss->addItem(lossTitle(kind), int(kind));
    }
    m_form->addRow(tr("Loss"), loss);
    m_fields.insert("loss", loss);
    m_bindings.push_back({loss, [loss](const NodeSpec& n) { loss->setCurrentIndex(loss->findData(int(n.task.loss))); }});
    connect(loss, &QComboBox::activated, this, [this, loss](int) {
        const auto kind = static_cast<core::LossKind>(loss->currentData().toInt());
        commit("loss", tr("Set loss of %1 to %2").arg(m_id, lossTitle(kind)), [&](NodeSpec& n) { n.task.loss = kind; }, false);
    });

    addFloatField("weight", tr("Weight"), 0.0, 1000.0, 3, [](NodeSpec& n) -> float& { return n.task.weight; });
    addFloatField("huberDelta", tr("Huber δ"), 0.001, 1e6, 3, [](NodeSpec& n) -> float& { return n.task.huberDelta; });

    auto* targets = new QListWidget(m_formHost);
    targets->setObjectName("targets");
    targets->setMaximumHeight(120);
    targets->setToolTip(tr("The dataset columns this task predicts"));
    m_form->addRow(tr("Targets"), targets);
    m_fields.insert("targets", targets);
    m_bindings.push_back({targets, [this, targets](const NodeSpec& n) {
                              targets->clear();
                              std::vector<std::string> columns;
                              if (auto dataset = m_document->dataset()) {
                                  for (const auto& c : dataset->schema.targets) columns.push_back(c.name);
                              }
                              for (const auto& t : n.task.targets) {
                                  if (std::find(columns.begin(), columns.end(), t) == columns.end()) columns.push_back(t);
                              }
                              for (const auto& c : columns) {
                                  auto* item = new QListWidgetItem(QString::fromStdString(c), targets);
                                  const bool on = std::find(n.task.targets.begin(), n.task.targets.end(), c) != n.task.targets.end();
                                  item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
                              }
                              if (columns.empty()) new QListWidgetItem(tr("(the dataset has no target columns)"), targets);
                          }});
    connect(targets, &QListWidget::itemChanged, this, [this, targets](QListWidgetItem*) {
        std::vector<std::string> chosen;
        for (int i = 0; i < targets->count(); ++i) {
            if (targets->item(i)->checkState() == Qt::Checked) chosen.push_back(targets->item(i)->text().toStdString());
        }
        commit("targets", tr("Set targets of %1").arg(m_id), [&](NodeSpec& n) { n.task.targets = chosen; }, false);
    });
    const auto syncHuber = [this](const NodeSpec& n) {
        if (QWidget* delta = m_fields.value("huberDelta")) delta->setEnabled(n.task.loss == core::LossKind::Huber);
    };
    m_bindings.push_back({loss, syncHuber});
}

} // namespace mtl::ui
