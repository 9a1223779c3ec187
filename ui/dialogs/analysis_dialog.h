#pragma once
// Model → Analyze network: the network as a table, one row per layer in the order data flows —
// its type, output shape, parameters, forward FLOPs per sample, the tasks it serves and how it is
// shared (hard: one set of weights for N tasks; soft: N copies coupled by λ; task-specific) —
// with totals and the problems found. It follows edits while open; a double-click selects the
// layer on the canvas.

#include <QDialog>

class QLabel;
class QTableWidget;

namespace mtl::ui {

class ProjectDocument;

class AnalysisDialog : public QDialog {
    Q_OBJECT
public:
    explicit AnalysisDialog(ProjectDocument* document, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    QString summaryText() const;
    // The table as tab-separated text (Copy).
    QString tabSeparated() const;

    enum Column { Layer, Type, Output, Parameters, Flops, Tasks, Sharing, ColumnCount };

signals:
    void nodeActivated(const QString& id);

public slots:
    void refresh();

private:
    ProjectDocument* m_document;
    QTableWidget* m_table;
    QLabel* m_summary;
};

} // namespace mtl::ui
