#pragma once
// File → Export: a trained run's model as ONNX, a PyTorch package or the native model file —
// which run, which tasks, where — then a summary of what was written (or why it was refused:
// a diverged run, no task chosen, an unwritable place).

#include "training/run_data.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QRadioButton;

namespace mtl::ui {

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    // `runs`: the project's runs (those without weights are left out); `preferred` is selected.
    ExportDialog(std::vector<RunPtr> runs, RunPtr preferred, QString projectDir, QWidget* parent = nullptr);

    enum class Format { Onnx, PyTorch, Native };
    void setFormat(Format format);
    void setDestination(const QString& path);
    void setTaskChecked(const QString& task, bool checked);
    // Writes the export; true on success. The summary (or the reason) is shown in the dialog.
    bool exportNow();
    QString summary() const;
    QComboBox* runChoice() const { return m_run; }

private:
    RunPtr currentRun() const;
    Format format() const;
    void runChanged();
    void formatChanged();
    std::vector<std::string> chosenTasks() const;
    QString defaultDestination() const;

    std::vector<RunPtr> m_runs;
    QString m_projectDir;
    QComboBox* m_run;
    QRadioButton* m_onnx;
    QRadioButton* m_pytorch;
    QRadioButton* m_native;
    QListWidget* m_tasks;
    QLineEdit* m_path;
    QLabel* m_summary;
};

} // namespace mtl::ui
