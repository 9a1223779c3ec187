#pragma once
// Defines an experiment: which balancing methods, sharing, learning rates and batch sizes to
// cross, how many seeds, whether to train single-task baselines, and the epochs per run. Shows
// the number of runs and, from the project's last run's epochs, about how long they take.

#include "experiments/experiment_spec.h"
#include "io/project_file.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace mtl::ui {

class ExperimentDialog : public QDialog {
    Q_OBJECT
public:
    // `secondsPerEpoch`: measured on the project (its last run), 0 when unknown.
    ExperimentDialog(const core::Project& project, std::size_t tasks, double secondsPerEpoch,
                     QWidget* parent = nullptr);
    // The grid as chosen (valid when the dialog was accepted).
    core::ExperimentSpec spec() const;
    QListWidget* methodList() const { return m_methods; }
    QLineEdit* sharingField() const { return m_sharing; }
    QSpinBox* seedsBox() const { return m_seeds; }
    QCheckBox* baselinesBox() const { return m_baselines; }
    QSpinBox* epochsBox() const { return m_epochs; }
    QCheckBox* atOnceBox() const { return m_atOnce; }
    QString summary() const;

private:
    void update();
    // The grid; throws SettingError naming the field that is wrong.
    core::ExperimentSpec readSpec() const;

    core::Project m_project;
    std::size_t m_tasks;
    double m_secondsPerEpoch;
    QListWidget* m_methods;
    QLineEdit* m_sharing;
    QLineEdit* m_rates;
    QLineEdit* m_batches;
    QSpinBox* m_seeds;
    QSpinBox* m_epochs;
    QCheckBox* m_baselines;
    QCheckBox* m_atOnce;
    QLabel* m_summary;
    QDialogButtonBox* m_buttons;
};

} // namespace mtl::ui
