#pragma once
// Runs side by side (training/run_comparison.h): one column per run, one row per setting or
// final metric, grouped; rows that differ are marked, the best value of each metric is bold.
// "Only differences" hides the rest; Copy puts the table on the clipboard as tab-separated text.

#include "training/run_data.h"

#include <QDialog>

class QCheckBox;
class QTableWidget;

namespace mtl::ui {

class RunComparisonDialog : public QDialog {
    Q_OBJECT
public:
    RunComparisonDialog(const std::vector<RunPtr>& runs, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    QCheckBox* onlyDifferences() const { return m_onlyDifferences; }
    QString tabSeparated() const;

private:
    void showRows();

    QTableWidget* m_table;
    QCheckBox* m_onlyDifferences;
    std::vector<bool> m_differs; // per table row
};

} // namespace mtl::ui
