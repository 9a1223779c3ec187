#include "panels/inspector_panel.h"

#include "document/node_text.h"
#include "document/project_document.h"
#include "model/node_kind_info.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace mtl::ui {

using core::NodeKind;
using core::NodeSpec;

InspectorPanel::InspectorPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_title(new QLabel(this)), m_tasks(new QLabel(this)),
      m_formHost(new QWidget(this)), m_issues(new QLabel(this)) {
    setObjectName("inspector");
    auto* layout = new QVBoxLayout(this);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    m_tasks->setWordWrap(true);
    m_tasks->setTextFormat(Qt::RichText);
    m_tasks->setObjectName("inspectorTasks");
    m_issues->setObjectName("inspectorIssues");
    m_issues->setWordWrap(true);
    m_issues->setTextFormat(Qt::RichText);
    // A long node or task name wraps inside the dock instead of widening it (and the window).
    for (QLabel* label : {m_title, m_tasks, m_issues})
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_title);
    layout->addWidget(m_tasks);
    layout->addWidget(m_formHost);
    layout->addWidget(m_issues);
    layout->addStretch();
    connect(document, &ProjectDocument::changed, this, [this] {
        const NodeSpec* node = m_document->spec().find(m_id.toStdString());
        if (node == nullptr || node->kind != m_kind) rebuild();
        else sync();
    });
    connect(document, &ProjectDocument::analysisChanged, this, &InspectorPanel::markIssues);
    connect(document, &ProjectDocument::documentReset, this, [this] { showNode({}); });
    rebuild();
}

void InspectorPanel::showNode(const QString& id) {
    m_id = id;
    rebuild();
}

void InspectorPanel::rebuild() {
    delete m_form;
    qDeleteAll(m_formHost->findChildren<QWidget*>(Qt::FindDirectChildrenOnly));
    m_fields.clear();
    m_bindings.clear();
    m_form = new QFormLayout(m_formHost);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const NodeSpec* node = m_document->spec().find(m_id.toStdString());
    if (node == nullptr) {
        m_id.clear();
        m_title->setText(tr("Nothing selected"));
        m_tasks->setText(tr("Select a node on the canvas to edit it. Drag layers from the palette, "
                            "or click the canvas and type a layer's name."));
        m_issues->clear();
        return;
    }
    m_kind = node->kind;
    const core::NodeKindInfo& kind = core::kindInfo(m_kind);
    for (const core::NodeField& field : kind.fields)
        addField(field);
    if (kind.hasParameters)
        addSharingFields();
    if (m_kind == NodeKind::TaskHead)
        addTaskFields();
    sync();
    markIssues();
}

void InspectorPanel::sync() {
    const NodeSpec* node = m_document->spec().find(m_id.toStdString());
    if (node == nullptr) return;
    m_updating = true;
    m_title->setText(QStringLiteral("%1 — %2").arg(kindTitle(node->kind), wrappable(m_id)));
    QStringList dots;
    const auto tasks = m_document->tasksThrough(node->id);
    for (const auto& task : tasks) {
        dots << QStringLiteral("<span style='color:%1'>●</span> %2")
                    .arg(m_document->taskColour(task).name(),
                         wrappable(QString::fromStdString(task).toHtmlEscaped()));
    }
    QString flow = tasks.empty() ? tr("No task uses this node yet.") : tr("Used by: %1").arg(dots.join("  "));
    if (tasks.size() > 1 && core::hasParameters(node->kind)) {
        flow += "<br>" +
                (node->sharing == core::SharingMode::Hard
                     ? tr("Hard sharing: one set of weights for all %1 tasks.").arg(tasks.size())
                     : tr("Soft sharing: %1 copies, coupled by %2 with λ = %3.")
                               .arg(tasks.size())
                               .arg(couplingTitle(node->coupling))
                               .arg(double(node->couplingStrength)) +
                           (node->sharing == core::SharingMode::Soft && node->crossStitch
                                ? tr(" A cross-stitch unit mixes their outputs.")
                                : QString()));
    }
    if (node->kind == NodeKind::ExpertGate)
        flow += "<br>" + gateText(*node, tasks.size());
    m_tasks->setText(flow);
    for (const auto& binding : m_bindings) {
        const QSignalBlocker block(binding.widget);
        binding.load(*node);
    }
    m_updating = false;
}

QString InspectorPanel::gateText(const NodeSpec& node, std::size_t tasks) const {
    const core::GraphIndex& graph = m_document->graph();
    const auto found = graph.byId.find(node.id);
    QStringList experts;
    if (found != graph.byId.end() && std::size_t(found->second) < graph.inputs.size()) {
        const auto& nodes = m_document->spec().nodes;
        for (int e : graph.inputs[std::size_t(found->second)]) {
            if (std::size_t(e) < nodes.size())
                experts << wrappable(
                    QString::fromStdString(nodes[std::size_t(e)].id).toHtmlEscaped());
        }
    }
    if (experts.isEmpty())
        return tr("No experts yet: connect the last layer of each expert into the gate.");
    const QString gates = tasks == 1 ? tr("One gate") : tr("%1 gates, one per task,").arg(tasks);
    return tr("%1 over %2 experts: %3.").arg(gates).arg(experts.size()).arg(experts.join(", "));
}

void InspectorPanel::markIssues() {
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        it.value()->setStyleSheet({});
        it.value()->setToolTip({});
    }
    QStringList lines;
    for (const auto& issue : m_document->issuesOf(m_id.toStdString())) {
        const bool error = issue.severity == core::Severity::Error;
        const QString message = QString::fromStdString(issue.message);
        // Words, not symbols: a symbol the font lacks shows as an empty box.
        lines << QStringLiteral("<span style='color:%1'><b>%2</b> %3</span>")
                     .arg(error ? "#d32f2f" : "#b07800", error ? tr("Error:") : tr("Warning:"),
                          message.toHtmlEscaped());
        if (QWidget* field = m_fields.value(QString::fromStdString(issue.property))) {
            field->setStyleSheet(QStringLiteral("border: 2px solid %1;").arg(error ? "#d32f2f" : "#e09b00"));
            field->setToolTip(message);
        }
    }
    m_issues->setText(lines.join("<br>"));
}

void InspectorPanel::commit(const QString& property, const QString& text,
                            const std::function<void(NodeSpec&)>& change, bool merge) {
    if (m_updating) return;
    core::ModelSpec spec = m_document->spec();
    NodeSpec* node = spec.find(m_id.toStdString());
    if (node == nullptr) return;
    change(*node);
    m_document->editSpec(text, spec, merge ? m_id + '.' + property : QString());
}

// A field of the kind's description: a spin box for numbers, a list for choices.
void InspectorPanel::addField(const core::NodeField& field) {
    const QString property =
        QString::fromUtf8(field.property.data(), qsizetype(field.property.size()));
    const QString label = QString::fromUtf8(field.label.data(), qsizetype(field.label.size()));
    const auto get = field.get;
    const auto set = field.set;
    QWidget* widget = nullptr;
    if (field.type == core::FieldType::Choice) {
        auto* box = new QComboBox(m_formHost);
        for (const core::FieldChoice& c : field.choices)
            box->addItem(QString::fromUtf8(c.label.data(), qsizetype(c.label.size())), c.value);
        m_bindings.push_back({box, [box, get](const NodeSpec& n) {
                                  box->setCurrentIndex(box->findData(int(get(n))));
                              }});
        connect(box, &QComboBox::activated, this, [this, box, property, label, set](int) {
            const int value = box->currentData().toInt();
            commit(
                property, tr("Set %1 of %2 to %3").arg(label.toLower(), m_id, box->currentText()),
                [&](NodeSpec& n) { set(n, value); }, false);
        });
        widget = box;
    } else if (field.type == core::FieldType::Integer) {
        auto* box = new QSpinBox(m_formHost);
        box->setRange(int(field.minimum), int(field.maximum));
        box->setKeyboardTracking(false);
        m_bindings.push_back({box, [box, get](const NodeSpec& n) { box->setValue(int(get(n))); }});
        connect(box, &QSpinBox::valueChanged, this, [this, property, label, set](int value) {
            commit(property, tr("Set %1 of %2 to %3").arg(label.toLower(), m_id).arg(value),
                   [&](NodeSpec& n) { set(n, value); });
        });
        widget = box;
    } else {
        auto* box = new QDoubleSpinBox(m_formHost);
        box->setRange(field.minimum, field.maximum);
        box->setDecimals(field.decimals);
        box->setSingleStep(field.decimals <= 2 ? 0.05 : 0.01);
        box->setKeyboardTracking(false);
        m_bindings.push_back({box, [box, get](const NodeSpec& n) { box->setValue(get(n)); }});
        connect(box, &QDoubleSpinBox::valueChanged, this,
                [this, property, label, set](double value) {
                    commit(property, tr("Set %1 of %2 to %3").arg(label.toLower(), m_id).arg(value),
                           [&](NodeSpec& n) { set(n, value); });
                });
        widget = box;
    }
    widget->setObjectName(property);
    widget->setToolTip(QString::fromUtf8(field.help.data(), qsizetype(field.help.size())));
    m_form->addRow(label, widget);
    m_fields.insert(property, widget);
}

void InspectorPanel::addFloatField(const QString& property, const QString& label, double min, double max,
                                   int decimals, Access<float> access) {
    auto* box = new QDoubleSpinBox(m_formHost);
    box->setRange(min, max);
    box->setDecimals(decimals);
    box->setSingleStep(decimals <= 2 ? 0.05 : 0.01);
    box->setKeyboardTracking(false);
    box->setObjectName(property);
    m_form->addRow(label, box);
    m_fields.insert(property, box);
    m_bindings.push_back({box, [box, access](const NodeSpec& n) {
                              NodeSpec copy = n;
                              box->setValue(double(access(copy)));
                          }});
    connect(box, &QDoubleSpinBox::valueChanged, this, [this, property, label, access](double value) {
        commit(property, tr("Set %1 of %2 to %3").arg(label.toLower(), m_id).arg(value),
               [&](NodeSpec& n) { access(n) = float(value); });
    });
}

} // namespace mtl::ui
