#pragma once
// The inspector: the selected node's properties. Each edit pushes one named command (typing in a
// field merges into one); document changes refresh the fields under a re-entrancy guard, and the
// field a validation issue names is outlined with the issue as its tooltip.

#include "model/node_kind_info.h"

#include <QHash>
#include <QWidget>

#include <functional>

class QFormLayout;
class QLabel;

namespace mtl::ui {

class ProjectDocument;

class InspectorPanel : public QWidget {
    Q_OBJECT
public:
    explicit InspectorPanel(ProjectDocument* document, QWidget* parent = nullptr);

    void showNode(const QString& id);
    QString nodeId() const { return m_id; }
    // The editor of a property ("units", "sharing", "couplingStrength", "weight", …), or null.
    QWidget* field(const QString& property) const { return m_fields.value(property); }

private:
    struct Binding {
        QWidget* widget;
        std::function<void(const core::NodeSpec&)> load;
    };

    void rebuild();
    void sync();
    void markIssues();
    // An expert gate's line: how many gates, over which experts.
    QString gateText(const core::NodeSpec& node, std::size_t tasks) const;
    // Applies `change` to the shown node as one command named after `label`.
    void commit(const QString& property, const QString& text, const std::function<void(core::NodeSpec&)>& change,
                bool merge = true);

    template <typename T>
    using Access = std::function<T&(core::NodeSpec&)>;
    void addField(const core::NodeField& field);
    void addCouplingFields();
    void addFloatField(const QString& property, const QString& label, double min, double max,
                       int decimals, Access<float> access);
    void addSharingFields();
    void addTaskFields();

    ProjectDocument* m_document;
    QString m_id;
    core::NodeKind m_kind = core::NodeKind::Input;
    bool m_updating = false;
    QLabel* m_title;
    QLabel* m_tasks;
    QWidget* m_formHost;
    QFormLayout* m_form = nullptr;
    QLabel* m_issues;
    QHash<QString, QWidget*> m_fields;
    std::vector<Binding> m_bindings;
};

} // namespace mtl::ui
