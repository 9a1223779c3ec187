#pragma once
// "Task balancing" in the training settings: the method (static weights, uncertainty
// weighting, PCGrad, MGDA, Nash-MTL, …), its parameters with their help, a one-line
// explanation, its cost and its paper; and a reminder that reports use the task weights. Every
// change is one undoable command; undo and redo refresh the fields (under a re-entrancy guard).
// The fields come from the core's table of methods, so a new method needs nothing here.

#include "balancing/balancing_method.h"

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;

namespace mtl::ui {

class ProjectDocument;

class BalancingForm : public QWidget {
    Q_OBJECT
public:
    explicit BalancingForm(ProjectDocument* document, QWidget* parent = nullptr);

    QComboBox* methodChoice() const { return m_method; }
    // The field of one of the current method's parameters.
    QWidget* parameterField(const QString& name) const;
    QString explanation() const;

private:
    void sync();
    void rebuildParameters(const core::BalancingSettings& settings);
    void commit(const QString& text, const core::BalancingSettings& next,
                const QString& mergeKey = {});

    ProjectDocument* m_document;
    QComboBox* m_method;
    QLabel* m_description;
    QFormLayout* m_parameters;
    QWidget* m_parameterBox;
    core::BalancingKind m_shownKind = core::BalancingKind::Static;
    bool m_updating = false;
};

} // namespace mtl::ui
