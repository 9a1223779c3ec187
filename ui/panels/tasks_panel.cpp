#include "panels/tasks_panel.h"

#include "document/node_text.h"
#include "document/project_document.h"
#include "document/project_templates.h"
#include "document/spec_edits.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QMenu>
#include <QPainter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace mtl::ui {

namespace {

enum Column { Name, Loss, Targets, Weight };

QIcon swatch(const QColor& colour) {
    QPixmap pixmap(14, 14);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(colour);
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(1, 1, 12, 12);
    return QIcon(pixmap);
}

QString joined(const std::vector<std::string>& words) {
    QStringList list;
    for (const auto& w : words) list << QString::fromStdString(w);
    return list.join(", ");
}

} // namespace

TasksPanel::TasksPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_table(new QTableWidget(0, 4, this)),
      m_add(new QToolButton(this)), m_remove(new QToolButton(this)) {
    setObjectName("tasks");
    m_table->setHorizontalHeaderLabels({tr("Task"), tr("Loss"), tr("Targets"), tr("Weight")});
    // Task names whole: the name column fits them (the table scrolls sideways if it must).
    m_table->horizontalHeader()->setSectionResizeMode(Name, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Loss, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Targets, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(Weight, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_add->setText(tr("Add task"));
    m_add->setToolTip(tr("Add a head for a target column no task uses yet"));
    m_remove->setText(tr("Remove task"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_table);
    layout->addLayout(buttons);

    connect(m_table, &QTableWidget::itemChanged, this, &TasksPanel::itemEdited);
    connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int) {
        emit nodeActivated(m_table->item(row, Name)->data(Qt::UserRole).toString());
    });
    connect(m_add, &QToolButton::clicked, this, &TasksPanel::showAddMenu);
    connect(m_remove, &QToolButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row >= 0) removeTask(m_table->item(row, Name)->data(Qt::UserRole).toString());
    });
    connect(document, &ProjectDocument::changed, this, &TasksPanel::refresh);
    connect(document, &ProjectDocument::datasetStateChanged, this, &TasksPanel::refresh);
    refresh();
}

void TasksPanel::refresh() {
    m_updating = true;
    const int current = m_table->currentRow();
    std::vector<const core::NodeSpec*> heads;
    for (const auto& node : m_document->spec().nodes) {
        if (node.kind == core::NodeKind::TaskHead) heads.push_back(&node);
    }
    m_table->setRowCount(int(heads.size()));
    for (int row = 0; row < int(heads.size()); ++row) {
        const core::NodeSpec& head = *heads[std::size_t(row)];
        QTableWidgetItem* name = cell(row, Name, QString::fromStdString(head.task.name), true);
        name->setIcon(swatch(ProjectDocument::taskColour(row)));
        name->setData(Qt::UserRole, QString::fromStdString(head.id));
        cell(row, Loss, lossTitle(head.task.loss), false);
        name->setToolTip(QString::fromStdString(head.task.name));
        cell(row, Targets, joined(head.task.targets), false)->setToolTip(joined(head.task.targets));
        QTableWidgetItem* weight = cell(row, Weight, QString::number(double(head.task.weight)), true);
        weight->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        weight->setToolTip(tr("w in Σ w·L: how much this task's loss counts"));
    }
    // Reselecting moves the current cell, which closes an open editor under Qt's feet: only when
    // the row lost its selection.
    if (current >= 0 && current < m_table->rowCount() &&
        !m_table->selectionModel()->isRowSelected(current, {})) {
        m_table->selectRow(current);
    }
    m_remove->setEnabled(!heads.empty());
    m_updating = false;
}

QTableWidgetItem* TasksPanel::cell(int row, int column, const QString& text, bool editable) {
    // Items are updated in place, never replaced: an edit's own signal may still be running.
    QTableWidgetItem* item = m_table->item(row, column);
    if (item == nullptr) {
        item = new QTableWidgetItem;
        m_table->setItem(row, column, item);
    }
    item->setText(text);
    item->setFlags(editable ? item->flags() | Qt::ItemIsEditable : item->flags() & ~Qt::ItemIsEditable);
    return item;
}

void TasksPanel::itemEdited(QTableWidgetItem* item) {
    if (m_updating) return;
    const QString headId = m_table->item(item->row(), Name)->data(Qt::UserRole).toString();
    core::ModelSpec spec = m_document->spec();
    core::NodeSpec* head = spec.find(headId.toStdString());
    if (head == nullptr) return;
    if (item->column() == Name) {
        head->task.name = item->text().trimmed().toStdString();
        m_document->editSpec(tr("Rename task to %1").arg(item->text().trimmed()), spec);
    } else if (item->column() == Weight) {
        bool ok = false;
        const double weight = item->text().toDouble(&ok);
        if (!ok || weight < 0.0) {
            refresh(); // not a weight: show the old value again
            return;
        }
        head->task.weight = float(weight);
        m_document->editSpec(tr("Set weight of %1 to %2").arg(QString::fromStdString(head->task.name)).arg(weight), spec);
    }
    refresh();
}

void TasksPanel::showAddMenu() {
    QMenu menu(this);
    std::vector<std::string> used;
    for (const auto& node : m_document->spec().nodes) {
        if (node.kind == core::NodeKind::TaskHead) used.insert(used.end(), node.task.targets.begin(), node.task.targets.end());
    }
    if (auto dataset = m_document->dataset()) {
        for (const auto& column : dataset->schema.targets) {
            if (std::find(used.begin(), used.end(), column.name) != used.end()) continue;
            const QString name = QString::fromStdString(column.name);
            menu.addAction(tr("Task for column %1").arg(name), this, [this, name] { addTaskFor(name); });
        }
    }
    menu.addAction(tr("Empty task head"), this, [this] { addTaskFor({}); });
    menu.exec(m_add->mapToGlobal(QPoint(0, m_add->height())));
}

void TasksPanel::addTaskFor(const QString& column) {
    core::ModelSpec spec = m_document->spec();
    core::TaskSpec task;
    task.name = column.isEmpty() ? "task" : column.toStdString();
    core::DataSchema schema;
    if (auto dataset = m_document->dataset()) schema = dataset->schema;
    if (!column.isEmpty()) {
        for (const auto& candidate : tasksFromSchema(schema)) {
            if (candidate.name == task.name) task = candidate;
        }
    }
    addTask(spec, task, schema);
    m_document->editSpec(tr("Add task %1").arg(QString::fromStdString(task.name)), spec);
}

void TasksPanel::removeTask(const QString& headId) {
    const core::NodeSpec* head = m_document->spec().find(headId.toStdString());
    if (head == nullptr) return;
    const auto& graph = m_document->graph();
    const auto headIndex = graph.byId.find(head->id);
    if (headIndex == graph.byId.end()) return;
    const core::TaskMask mine = graph.tasksBelow[std::size_t(headIndex->second)];
    std::vector<std::string> gone{head->id};
    for (std::size_t i = 0; i < m_document->spec().nodes.size(); ++i) {
        const auto& node = m_document->spec().nodes[i];
        if (mine != 0 && graph.tasksBelow[i] == mine && node.kind != core::NodeKind::Input) gone.push_back(node.id);
    }
    core::ModelSpec spec = m_document->spec();
    removeNodes(spec, gone);
    m_document->editSpec(tr("Remove task %1").arg(QString::fromStdString(head->task.name)), spec);
}

} // namespace mtl::ui
