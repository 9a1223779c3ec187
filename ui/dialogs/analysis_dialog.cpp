#include "dialogs/analysis_dialog.h"

#include "dialogs/table_text.h"
#include "document/counted.h"
#include "document/node_text.h"
#include "document/project_document.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <bit>

namespace mtl::ui {

namespace {

QString sharingText(const core::NodeSpec& node, int tasks) {
    if (tasks == 0)
        return QObject::tr("feeds no task");
    if (node.kind == core::NodeKind::Input)
        return QObject::tr("—");
    if (!core::hasParameters(node.kind) || node.kind == core::NodeKind::TaskHead)
        return tasks > 1 ? QObject::tr("shared by %1 tasks (no weights)").arg(tasks)
                         : QObject::tr("—");
    if (tasks == 1)
        return QObject::tr("task-specific");
    if (node.sharing == core::SharingMode::Soft)
        return QObject::tr("soft: %1 copies, λ %2").arg(tasks).arg(double(node.couplingStrength));
    return QObject::tr("hard: one set for %1 tasks").arg(tasks);
}

QTableWidgetItem* number(const QString& text, double sortValue) {
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    item->setData(Qt::UserRole, sortValue);
    return item;
}

} // namespace

AnalysisDialog::AnalysisDialog(ProjectDocument* document, QWidget* parent)
    : QDialog(parent), m_document(document), m_table(new QTableWidget(0, ColumnCount, this)),
      m_summary(new QLabel(this)) {
    setObjectName("analysisDialog");
    setWindowTitle(tr("Network analysis"));
    m_table->setHorizontalHeaderLabels({tr("Layer"), tr("Type"), tr("Output"), tr("Parameters"),
                                        tr("FLOPs / sample"), tr("Tasks"), tr("Sharing")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_summary->setWordWrap(true);
    m_summary->setObjectName("analysisSummary");
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy the table as tab-separated text (for a spreadsheet)"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(tabSeparated()); });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (auto* item = m_table->item(row, Layer);
            item && !item->data(Qt::UserRole).toString().isEmpty())
            emit nodeActivated(item->data(Qt::UserRole).toString());
    });
    connect(document, &ProjectDocument::analysisChanged, this, &AnalysisDialog::refresh);
    refresh();
    resize(900, 520);
}

void AnalysisDialog::refresh() {
    const core::ModelSpec& spec = m_document->spec();
    const core::SpecAnalysis& analysis = m_document->analysis();
    const core::GraphIndex& graph = m_document->graph();
    // Parents before children; nodes the input does not reach come last.
    std::vector<int> order = graph.order;
    for (int i = 0; i < int(spec.nodes.size()); ++i)
        if (std::find(order.begin(), order.end(), i) == order.end())
            order.push_back(i);
    m_table->setRowCount(0);
    m_table->setRowCount(int(order.size()) + 1);
    const bool analysed = analysis.outputShapes.size() == spec.nodes.size();
    for (int row = 0; row < int(order.size()); ++row) {
        const int i = order[std::size_t(row)];
        const core::NodeSpec& node = spec.nodes[std::size_t(i)];
        auto* name = new QTableWidgetItem(QString::fromStdString(node.id));
        name->setData(Qt::UserRole, QString::fromStdString(node.id));
        m_table->setItem(row, Layer, name);
        m_table->setItem(
            row, Type,
            new QTableWidgetItem(node.kind == core::NodeKind::TaskHead
                                     ? tr("Task head · %1").arg(lossTitle(node.task.loss))
                                     : nodeTitle(node)));
        const auto& shape = analysed ? analysis.outputShapes[std::size_t(i)] : std::nullopt;
        m_table->setItem(
            row, Output,
            new QTableWidgetItem(shape ? QString::fromStdString(shape->toString()) : tr("?")));
        const double parameters = analysed ? double(analysis.parameterCounts[std::size_t(i)]) : 0.0;
        m_table->setItem(row, Parameters,
                         number(parameters > 0 ? countText(parameters) : tr("—"), parameters));
        const double flops = analysed && i < int(analysis.flopsPerNode.size())
                                 ? analysis.flopsPerNode[std::size_t(i)]
                                 : 0.0;
        m_table->setItem(row, Flops, number(flops > 0 ? countText(flops) : tr("—"), flops));
        QStringList tasks;
        for (const std::string& task : m_document->tasksThrough(node.id))
            tasks << QString::fromStdString(task);
        const int served =
            i < int(graph.tasksBelow.size()) ? std::popcount(graph.tasksBelow[std::size_t(i)]) : 0;
        auto* taskItem = new QTableWidgetItem(std::size_t(tasks.size()) == graph.taskNodes.size() &&
                                                      tasks.size() > 1
                                                  ? tr("all (%1)").arg(tasks.size())
                                                  : tasks.join(", "));
        taskItem->setToolTip(tasks.join(", "));
        m_table->setItem(row, Tasks, taskItem);
        m_table->setItem(row, Sharing, new QTableWidgetItem(sharingText(node, served)));
        // A layer with a problem is marked, its first problem as the tooltip.
        const auto issues = m_document->issuesOf(node.id);
        if (!issues.empty()) {
            const bool error = std::any_of(issues.begin(), issues.end(), [](const auto& s) {
                return s.severity == core::Severity::Error;
            });
            for (int c = 0; c < ColumnCount; ++c) {
                m_table->item(row, c)->setBackground(error ? QColor(255, 224, 224)
                                                           : QColor(255, 243, 205));
                m_table->item(row, c)->setToolTip(QString::fromStdString(issues.front().message));
            }
        }
    }
    const int total = int(order.size());
    auto* label = new QTableWidgetItem(tr("Total"));
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    m_table->setItem(total, Layer, label);
    auto* parameters =
        number(countText(double(analysis.totalParameters)), double(analysis.totalParameters));
    auto* flops = number(countText(analysis.flopsPerSample), analysis.flopsPerSample);
    parameters->setFont(bold);
    flops->setFont(bold);
    m_table->setItem(total, Parameters, parameters);
    m_table->setItem(total, Flops, flops);
    int errors = 0, warnings = 0;
    for (const auto& issue : analysis.issues)
        (issue.severity == core::Severity::Error ? errors : warnings) += 1;
    QString summary =
        tr("%1, %2: %3 parameters, %4 FLOPs per sample forward (a training step costs about three "
           "times that).")
            .arg(counted(qint64(spec.nodes.size()), tr("1 layer"), tr("%1 layers")),
                 counted(qint64(graph.taskNodes.size()), tr("1 task"), tr("%1 tasks")),
                 countText(double(analysis.totalParameters)), countText(analysis.flopsPerSample));
    if (!analysed)
        summary = tr("Shapes, parameters and FLOPs show once the dataset has loaded.");
    if (errors + warnings > 0)
        summary += " " + tr("Problems: %1 and %2 (marked rows; see the Problems panel).")
                             .arg(counted(errors, tr("1 error"), tr("%1 errors")),
                                  counted(warnings, tr("1 warning"), tr("%1 warnings")));
    m_summary->setText(summary);
}

QString AnalysisDialog::summaryText() const {
    return m_summary->text();
}

QString AnalysisDialog::tabSeparated() const {
    return mtl::ui::tabSeparated(m_table);
}

} // namespace mtl::ui
