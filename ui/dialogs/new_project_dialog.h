#pragma once
// File → New: a dataset (built in, or the current project's) and a network template — a
// hard-shared trunk with one head per task, soft-shared towers, one task's baseline, or blank
// (the input alone).

#include "document/project_templates.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QRadioButton;

namespace mtl::ui {

class NewProjectDialog : public QDialog {
    Q_OBJECT
public:
    // `current`: the open project's dataset, offered first (it may be a CSV file).
    NewProjectDialog(const core::DatasetSource& current, QString projectDir, QWidget* parent = nullptr);

    // The new project; throws mtl::Error when the dataset cannot be read.
    core::Project project() const;

    QComboBox* datasetChoice() const { return m_dataset; }
    QComboBox* taskChoice() const { return m_task; }
    void setTemplate(NetworkTemplate kind);

private:
    core::DatasetSource chosenSource() const;
    void datasetChanged();

    core::DatasetSource m_current;
    QString m_projectDir;
    QComboBox* m_dataset;
    QRadioButton* m_hard;
    QRadioButton* m_soft;
    QRadioButton* m_single;
    QRadioButton* m_blank;
    QComboBox* m_task;
    QLabel* m_message;
    core::DataSchema m_schema;
};

} // namespace mtl::ui
