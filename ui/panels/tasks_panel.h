#pragma once
// The tasks panel: one row per task head, in the task's colour — name, loss, targets, weight.
// Name and weight are edited in place; Add task hangs a new head off the shared trunk for a
// target column no task uses yet; Remove deletes a head and the layers only it used.

#include <QWidget>

class QTableWidget;
class QTableWidgetItem;
class QToolButton;

namespace mtl::ui {

class ProjectDocument;

class TasksPanel : public QWidget {
    Q_OBJECT
public:
    explicit TasksPanel(ProjectDocument* document, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    void addTaskFor(const QString& column);
    void removeTask(const QString& headId);

signals:
    void nodeActivated(const QString& id);

private:
    void refresh();
    QTableWidgetItem* cell(int row, int column, const QString& text, bool editable);
    void itemEdited(QTableWidgetItem* item);
    void showAddMenu();

    ProjectDocument* m_document;
    QTableWidget* m_table;
    QToolButton* m_add;
    QToolButton* m_remove;
    bool m_updating = false;
};

} // namespace mtl::ui
