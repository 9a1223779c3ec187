#pragma once
// The Train tab's "Confusion matrix" view for one run: per classification task (per target column
// for a binary head) the counts of true against predicted class on the run's validation rows,
// with the kept weights; cells shaded by the share of their true class (row), counts or row
// percentages written in; per class its precision, recall, F1 and support; the most frequent
// confusions named. Computed when the view is shown for a finished run.

#include "train/confusion.h"
#include "training/run_data.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSplitter;
class QTableWidget;

namespace mtl::ui {

class ProjectDocument;

class ConfusionView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionView(ProjectDocument* document, QWidget* parent = nullptr);

    void setRun(RunPtr run);
    // Computes the matrices if the run changed since (the view calls it when shown).
    void refresh();

    QComboBox* taskChoice() const { return m_task; }
    QComboBox* displayChoice() const { return m_display; }
    QTableWidget* matrixTable() const { return m_matrix; }
    QTableWidget* classTable() const { return m_classes; }
    QString summaryText() const;
    const std::vector<core::ConfusionMatrix>& matrices() const { return m_matrices; }

protected:
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void compute();
    void showMatrix();
    void setMessage(const QString& text);

    ProjectDocument* m_document;
    RunPtr m_run;
    bool m_stale = true;
    QComboBox* m_task;
    QComboBox* m_display;
    QLabel* m_summary;
    QTableWidget* m_matrix;
    QTableWidget* m_classes;
    QSplitter* m_split = nullptr;
    std::vector<core::ConfusionMatrix> m_matrices;
    QString m_rowsText; // which rows the matrices count
};

} // namespace mtl::ui
