#pragma once
// The problems list: every validation issue and the dataset's state; clicking one selects its node.

#include <QListWidget>

namespace mtl::ui {

class ProjectDocument;

class ProblemsPanel : public QListWidget {
    Q_OBJECT
public:
    explicit ProblemsPanel(ProjectDocument* document, QWidget* parent = nullptr);

signals:
    void nodeActivated(const QString& id);

private:
    void refresh();
    ProjectDocument* m_document;
};

} // namespace mtl::ui
