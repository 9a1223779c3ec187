#include "training/balancing_form.h"

#include "document/project_document.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <cmath>

namespace mtl::ui {

namespace {

// Decimals enough for a parameter's range and default (1e-4 needs 4, 0.025 needs 3).
int decimalsFor(const core::BalancingParameter& p) {
    int decimals = 2;
    for (double v : {p.defaultValue, p.min > 0 ? p.min : 1.0}) {
        if (v > 0 && v < 1)
            decimals = std::max(decimals, int(std::ceil(-std::log10(v))) + 1);
    }
    return std::min(decimals, 6);
}

} // namespace

BalancingForm::BalancingForm(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_method(new QComboBox(this)),
      m_description(new QLabel(this)), m_parameters(new QFormLayout),
      m_parameterBox(new QWidget(this)) {
    setObjectName("balancing");
    m_method->setObjectName("balancingMethod");
    for (const core::BalancingMethod& m : core::balancingMethods()) {
        m_method->addItem(QString::fromStdString(m.title), int(m.kind));
        m_method->setItemData(m_method->count() - 1, QString::fromStdString(m.description),
                              Qt::ToolTipRole);
    }
    m_method->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_method->setMinimumContentsLength(12);
    m_description->setObjectName("balancingDescription");
    m_description->setWordWrap(true);
    m_description->setTextFormat(Qt::RichText);
    m_parameterBox->setLayout(m_parameters);
    m_parameters->setContentsMargins(0, 0, 0, 0);
    m_parameters->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    auto* form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Task balancing"), m_method);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_description);
    layout->addWidget(m_parameterBox);

    connect(m_method, &QComboBox::activated, this, [this] {
        core::BalancingSettings next;
        next.kind = static_cast<core::BalancingKind>(m_method->currentData().toInt());
        commit(tr("Set task balancing to %1").arg(m_method->currentText()), next);
    });
    connect(document, &ProjectDocument::changed, this, &BalancingForm::sync);
    sync();
}

QWidget* BalancingForm::parameterField(const QString& name) const {
    return m_parameterBox->findChild<QWidget*>("balancing." + name);
}

QString BalancingForm::explanation() const {
    return m_description->text();
}

void BalancingForm::commit(const QString& text, const core::BalancingSettings& next,
                           const QString& mergeKey) {
    if (m_updating)
        return;
    core::Project project = m_document->project();
    if (project.training.balancing == next)
        return;
    project.training.balancing = next;
    m_document->edit(text, project, mergeKey);
}

void BalancingForm::sync() {
    m_updating = true;
    const core::BalancingSettings& settings = m_document->project().training.balancing;
    const core::BalancingMethod& method = core::balancingMethod(settings.kind);
    m_method->setCurrentIndex(m_method->findData(int(settings.kind)));
    m_description->setText(
        tr("%1<br><small>Cost: %2. %3</small>")
            .arg(QString::fromStdString(method.description).toHtmlEscaped(),
                 QString::fromStdString(method.cost).toHtmlEscaped(),
                 tr("Validation loss, early stopping, the best epoch and Δm use the task "
                    "weights whatever the method.")));
    m_description->setToolTip(QString::fromStdString(method.reference));
    rebuildParameters(settings);
    m_updating = false;
}

void BalancingForm::rebuildParameters(const core::BalancingSettings& settings) {
    const core::BalancingMethod& method = core::balancingMethod(settings.kind);
    if (m_shownKind != settings.kind || m_parameters->rowCount() != int(method.parameters.size())) {
        while (m_parameters->rowCount() > 0)
            m_parameters->removeRow(0);
        m_shownKind = settings.kind;
        for (const core::BalancingParameter& p : method.parameters) {
            const QString name = QString::fromStdString(p.name);
            const QString label = QString::fromStdString(p.name).replace('_', ' ');
            QWidget* field = nullptr;
            if (!p.choices.empty()) {
                auto* box = new QComboBox(m_parameterBox);
                for (const std::string& c : p.choices)
                    box->addItem(QString::fromStdString(c));
                connect(box, &QComboBox::activated, this, [this, name, box] {
                    core::BalancingSettings next = m_document->project().training.balancing;
                    next.parameters[name.toStdString()] = box->currentIndex();
                    commit(tr("Set %1 to %2").arg(name, box->currentText()), next);
                });
                field = box;
            } else {
                auto* box = new QDoubleSpinBox(m_parameterBox);
                box->setRange(p.min, p.max);
                box->setDecimals(decimalsFor(p));
                box->setSingleStep(p.defaultValue > 0 ? p.defaultValue / 5 : 0.1);
                box->setKeyboardTracking(false);
                // "…; 0: the run's learning rate" — the word for the special value 0.
                const auto zero = p.help.find("0: ");
                if (p.min == 0.0 && zero != std::string::npos)
                    box->setSpecialValueText(QString::fromStdString(p.help.substr(zero + 3)));
                connect(box, &QDoubleSpinBox::valueChanged, this, [this, name](double value) {
                    core::BalancingSettings next = m_document->project().training.balancing;
                    next.parameters[name.toStdString()] = value;
                    commit(tr("Set %1 to %2").arg(name).arg(value), next,
                           "training.balancing." + name);
                });
                field = box;
            }
            field->setObjectName("balancing." + name);
            field->setToolTip(QString::fromStdString(p.help));
            m_parameters->addRow(label, field);
        }
    }
    for (const core::BalancingParameter& p : method.parameters) {
        QWidget* field = parameterField(QString::fromStdString(p.name));
        const double value = settings.value(p.name);
        const QSignalBlocker block(field);
        if (auto* box = qobject_cast<QComboBox*>(field))
            box->setCurrentIndex(int(value));
        else if (auto* spin = qobject_cast<QDoubleSpinBox*>(field))
            spin->setValue(value);
    }
    m_parameterBox->setVisible(!method.parameters.empty());
}

} // namespace mtl::ui
