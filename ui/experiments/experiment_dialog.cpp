#include "experiments/experiment_dialog.h"

#include "document/node_text.h"
#include "util/error.h"
#include "util/threads.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace mtl::ui {

namespace {

QStringList listItems(const QLineEdit* field) {
    QStringList items;
    for (const QString& part : field->text().split(',', Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            items << part.trimmed();
    }
    return items;
}

// Relative cost of a method's step against one backward pass (gradient methods: one per task).
double stepCost(const core::BalancingSettings& method, std::size_t tasks) {
    return core::balancingMethod(method.kind).family == core::BalancingFamily::Gradient
               ? 0.5 + 0.5 * double(tasks)
               : 1.0;
}

} // namespace

ExperimentDialog::ExperimentDialog(const core::Project& project, std::size_t tasks,
                                   double secondsPerEpoch, QWidget* parent)
    : QDialog(parent), m_project(project), m_tasks(tasks), m_secondsPerEpoch(secondsPerEpoch) {
    setWindowTitle(tr("New experiment"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(
        tr("Every combination of the choices below is trained with each seed. Leave a field "
           "empty to keep the project's setting. With baselines, each task is also trained "
           "alone (same network cut to its head), so Δm compares with the same seeds."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    m_methods = new QListWidget;
    const std::string current = core::balancingMethod(project.training.balancing.kind).name;
    for (const core::BalancingMethod& method : core::balancingMethods()) {
        auto* item =
            new QListWidgetItem(QString::fromStdString(method.title + " — " + method.name));
        item->setData(Qt::UserRole, QString::fromStdString(method.name));
        item->setToolTip(QString::fromStdString(method.description + "\n" + method.cost));
        const bool on = method.name == "equal" || method.name == "pcgrad" ||
                        (method.name == current && method.name != "static");
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
        m_methods->addItem(item);
    }
    m_methods->setMinimumHeight(180);
    form->addRow(tr("Balancing methods:"), m_methods);
    m_sharing = new QLineEdit;
    m_sharing->setPlaceholderText(tr("the project's; e.g. hard, soft:0.01, soft:0.1"));
    form->addRow(tr("Sharing:"), m_sharing);
    m_rates = new QLineEdit;
    m_rates->setPlaceholderText(
        tr("the project's (%1); e.g. 0.001, 0.0003").arg(project.training.optimizer.learningRate));
    form->addRow(tr("Learning rates:"), m_rates);
    m_batches = new QLineEdit;
    m_batches->setPlaceholderText(
        tr("the project's (%1); e.g. 32, 128").arg(project.training.batchSize));
    form->addRow(tr("Batch sizes:"), m_batches);
    m_seeds = new QSpinBox;
    m_seeds->setRange(1, 100);
    m_seeds->setValue(3);
    m_seeds->setToolTip(
        tr("Seeds %1, %2, …: each changes the initial weights, the split and the order of the rows")
            .arg(project.training.seed)
            .arg(project.training.seed + 1));
    form->addRow(tr("Seeds:"), m_seeds);
    m_epochs = new QSpinBox;
    m_epochs->setRange(0, 100000);
    m_epochs->setSpecialValueText(tr("the project's (%1)").arg(project.training.epochs));
    form->addRow(tr("Epochs per run:"), m_epochs);
    m_baselines = new QCheckBox(tr("Train single-task baselines (needed for Δm)"));
    m_baselines->setChecked(tasks > 1);
    m_baselines->setEnabled(tasks > 1);
    form->addRow(QString(), m_baselines);
    m_atOnce = new QCheckBox(tr("Two runs at a time, the cores split between them"));
    m_atOnce->setToolTip(
        tr("On two cores, two one-thread runs side by side finish about 15–20 % sooner than "
           "two-thread runs one after another (MultiFashion, measured)"));
    m_atOnce->setEnabled(core::coreCount() >= 2);
    form->addRow(QString(), m_atOnce);
    layout->addLayout(form);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Run"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_methods, &QListWidget::itemChanged, this, &ExperimentDialog::update);
    for (QLineEdit* field : {m_sharing, m_rates, m_batches})
        connect(field, &QLineEdit::textChanged, this, &ExperimentDialog::update);
    for (QSpinBox* box : {m_seeds, m_epochs})
        connect(box, &QSpinBox::valueChanged, this, &ExperimentDialog::update);
    connect(m_baselines, &QCheckBox::toggled, this, &ExperimentDialog::update);
    connect(m_atOnce, &QCheckBox::toggled, this, &ExperimentDialog::update);
    update();
    resize(560, sizeHint().height());
}

core::ExperimentSpec ExperimentDialog::readSpec() const {
    core::ExperimentSpec spec;
    for (int i = 0; i < m_methods->count(); ++i) {
        if (m_methods->item(i)->checkState() != Qt::Checked)
            continue;
        const std::string name = m_methods->item(i)->data(Qt::UserRole).toString().toStdString();
        // The project's own method keeps its parameters; others take their defaults.
        spec.methods.push_back(name == core::balancingMethod(m_project.training.balancing.kind).name
                                   ? m_project.training.balancing
                                   : core::parseBalancing(name));
    }
    for (const QString& sharing : listItems(m_sharing)) {
        try {
            core::ModelSpec probe;
            core::applySharing(probe, sharing.toStdString());
        } catch (const SettingError& e) {
            throw SettingError(std::string("Sharing: ") + e.what());
        }
        spec.sharing.push_back(sharing.toStdString());
    }
    for (const QString& text : listItems(m_rates)) {
        bool ok = false;
        const float lr = text.toFloat(&ok);
        if (!ok || !(lr > 0.0f))
            throw SettingError("Learning rates: '" + text.toStdString() + "' is not a number > 0");
        spec.learningRates.push_back(lr);
    }
    for (const QString& text : listItems(m_batches)) {
        bool ok = false;
        const int batch = text.toInt(&ok);
        if (!ok || batch < 1)
            throw SettingError("Batch sizes: '" + text.toStdString() +
                               "' is not a whole number ≥ 1");
        spec.batchSizes.push_back(batch);
    }
    spec.seeds = m_seeds->value();
    spec.epochs = m_epochs->value();
    spec.baselines = m_baselines->isChecked();
    spec.runsAtOnce = m_atOnce->isChecked() ? 2 : 1;
    core::checkExperiment(spec);
    return spec;
}

core::ExperimentSpec ExperimentDialog::spec() const {
    return readSpec();
}

QString ExperimentDialog::summary() const {
    return m_summary->text();
}

void ExperimentDialog::update() {
    core::ExperimentSpec spec;
    try {
        spec = readSpec();
    } catch (const SettingError& e) {
        m_summary->setText(tr("Error: %1").arg(QString::fromStdString(e.what())));
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
        return;
    }
    const auto configs = core::configurations(spec);
    const std::size_t runs = core::experimentRunCount(spec, m_tasks);
    const std::size_t baselineRuns = runs - configs.size() * std::size_t(spec.seeds);
    QString text = tr("%1 runs: %2 × %3")
                       .arg(runs)
                       .arg(configs.size() == 1 ? tr("1 configuration")
                                                : tr("%1 configurations").arg(configs.size()))
                       .arg(spec.seeds == 1 ? tr("1 seed") : tr("%1 seeds").arg(spec.seeds));
    if (baselineRuns > 0)
        text += tr(" + %1 single-task baselines").arg(baselineRuns);
    text += ". ";
    const int epochs = spec.epochs > 0 ? spec.epochs : m_project.training.epochs;
    if (m_secondsPerEpoch > 0.0) {
        double seconds = 0.0;
        for (const core::ExperimentConfig& c : configs) {
            seconds += double(spec.seeds) * epochs * m_secondsPerEpoch *
                       stepCost(c.method.value_or(m_project.training.balancing), m_tasks);
        }
        seconds += double(baselineRuns) * epochs * m_secondsPerEpoch; // the same trunk, one head
        if (spec.runsAtOnce > 1)
            seconds /= 1.15; // measured: two at a time on two cores
        text += tr("About %1, from the %2 per epoch measured on this project.")
                    .arg(durationText(seconds), durationText(m_secondsPerEpoch));
    } else {
        text += tr("The time left is shown once the first epoch is measured.");
    }
    m_summary->setText(text);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(runs > 0);
}

} // namespace mtl::ui
