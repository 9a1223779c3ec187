#pragma once
// The dataset panel: what the project trains on (source, rows, inputs, target columns), its
// loading state, and the ways to change it: a built-in dataset or a CSV import.

#include "document/project_templates.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace mtl::ui {

class ProjectDocument;

class DatasetPanel : public QWidget {
    Q_OBJECT
public:
    explicit DatasetPanel(ProjectDocument* document, QWidget* parent = nullptr);

    QComboBox* builtInChoice() const { return m_builtIn; }
    QLabel* summary() const { return m_summary; }

signals:
    void builtInRequested(BuiltInDataset which);
    void importCsvRequested();

private:
    void refresh();

    ProjectDocument* m_document;
    QLabel* m_summary;
    QComboBox* m_builtIn;
    QPushButton* m_use;
    QPushButton* m_import;
};

} // namespace mtl::ui
