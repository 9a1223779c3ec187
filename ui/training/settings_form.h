#pragma once
// Training settings in the window: optimizer, learning rate and schedule, batch size, epochs,
// seed, threads, early stopping, validation share, weight decay. Each change is one undoable
// command on the document; undo and redo refresh the fields (under a re-entrancy guard).

#include "train/training_settings.h"

#include <QWidget>

#include <functional>

class QFormLayout;

namespace mtl::ui {

class ProjectDocument;

class SettingsForm : public QWidget {
    Q_OBJECT
public:
    explicit SettingsForm(ProjectDocument* document, QWidget* parent = nullptr);
    QWidget* field(const QString& name) const;

private:
    using Edit = std::function<void(core::TrainingSettings&)>;
    void commit(const QString& key, const QString& text, const Edit& edit);
    void sync();
    // An integer setting, read and written through get/set (the settings mix int, long and Index).
    QWidget* addInt(const QString& key, const QString& label, int min, int max,
                    std::function<long long(const core::TrainingSettings&)> get,
                    std::function<void(core::TrainingSettings&, long long)> set);
    void addReal(const QString& key, const QString& label, double min, double max, int decimals, double step,
                 std::function<float&(core::TrainingSettings&)> access);

    ProjectDocument* m_document;
    QFormLayout* m_form;
    std::vector<std::function<void(const core::TrainingSettings&)>> m_loads;
    bool m_updating = false;
};

} // namespace mtl::ui
