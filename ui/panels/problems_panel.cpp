#include "panels/problems_panel.h"

#include "document/node_text.h"
#include "document/project_document.h"

#include <QApplication>
#include <QStyle>

namespace mtl::ui {

ProblemsPanel::ProblemsPanel(ProjectDocument* document, QWidget* parent)
    : QListWidget(parent), m_document(document) {
    setObjectName("problems");
    setWordWrap(true);
    connect(document, &ProjectDocument::analysisChanged, this, &ProblemsPanel::refresh);
    connect(document, &ProjectDocument::datasetStateChanged, this, &ProblemsPanel::refresh);
    connect(this, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const QString id = item->data(Qt::UserRole).toString();
        if (!id.isEmpty()) emit nodeActivated(id);
    });
    refresh();
}

void ProblemsPanel::refresh() {
    clear();
    QStyle* style = QApplication::style();
    const QIcon errorIcon = style->standardIcon(QStyle::SP_MessageBoxCritical);
    const QIcon warningIcon = style->standardIcon(QStyle::SP_MessageBoxWarning);
    const QIcon infoIcon = style->standardIcon(QStyle::SP_MessageBoxInformation);
    switch (m_document->dataState()) {
    case DataState::Loading: new QListWidgetItem(infoIcon, m_document->dataMessage(), this); return;
    case DataState::Failed:
        new QListWidgetItem(errorIcon, tr("Dataset: %1").arg(m_document->dataMessage()), this);
        return;
    case DataState::Ready: break;
    }
    for (const auto& issue : m_document->analysis().issues) {
        const bool error = issue.severity == core::Severity::Error;
        QString where = QString::fromStdString(issue.nodeId);
        if (!issue.property.empty()) {
            const core::NodeSpec* node = m_document->spec().find(issue.nodeId);
            where += QStringLiteral(" (%1)").arg(
                propertyTitle(issue.property, node ? node->kind : core::NodeKind::Dense));
        }
        const QString text = where.isEmpty() ? QString::fromStdString(issue.message)
                                             : where + ": " + QString::fromStdString(issue.message);
        auto* item = new QListWidgetItem(error ? errorIcon : warningIcon, text, this);
        item->setData(Qt::UserRole, QString::fromStdString(issue.nodeId));
        item->setToolTip(text);
    }
    if (count() == 0) new QListWidgetItem(infoIcon, tr("No problems: the network is ready to train."), this);
}

} // namespace mtl::ui
