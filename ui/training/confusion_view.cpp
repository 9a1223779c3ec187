#include "training/confusion_view.h"

#include "document/counted.h"
#include "document/project_document.h"
#include "train/trainer.h"

#include <QApplication>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace mtl::ui {

namespace {

QString percent(double v) {
    return std::isnan(v) ? QStringLiteral("—") : QString::number(100.0 * v, 'f', 1) + " %";
}
QString share(double v) {
    return std::isnan(v) ? QStringLiteral("—") : QString::number(v, 'f', 3);
}

// White to a saturated blue as the share of the row grows; text stays readable on both.
QColor cellColour(double fraction) {
    const double f = std::clamp(fraction, 0.0, 1.0);
    return QColor::fromRgbF(float(1.0 - 0.8 * f), float(1.0 - 0.55 * f), float(1.0 - 0.1 * f));
}

QTableWidgetItem* cell(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignCenter);
    return item;
}

} // namespace

ConfusionView::ConfusionView(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_task(new QComboBox(this)),
      m_display(new QComboBox(this)), m_summary(new QLabel(this)), m_matrix(new QTableWidget(this)),
      m_classes(new QTableWidget(0, 5, this)) {
    setObjectName("confusionView");
    m_task->setObjectName("confusionTask");
    m_task->setToolTip(tr("The classification task (and, for a binary head, its target column)"));
    m_display->setObjectName("confusionDisplay");
    m_display->addItem(tr("Counts"));
    m_display->addItem(tr("Share of the true class"));
    m_summary->setObjectName("confusionSummary");
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_matrix->setObjectName("confusionMatrix");
    m_matrix->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_matrix->setSelectionMode(QAbstractItemView::NoSelection);
    m_matrix->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_matrix->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_matrix->setToolTip(
        tr("Rows: the true class. Columns: the class the model predicted. The diagonal is right."));
    m_classes->setObjectName("classMetrics");
    m_classes->setHorizontalHeaderLabels(
        {tr("Class"), tr("Precision"), tr("Recall"), tr("F1"), tr("Support")});
    m_classes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_classes->verticalHeader()->hide();
    m_classes->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_classes->horizontalHeader()->setStretchLastSection(true);
    m_classes->setSortingEnabled(false);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Task:"), this));
    controls->addWidget(m_task, 1);
    controls->addWidget(new QLabel(tr("Show:"), this));
    controls->addWidget(m_display);
    auto* axes = new QLabel(tr("Rows: true class · columns: predicted class"), this);
    axes->setWordWrap(true);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(axes);
    leftLayout->addWidget(m_matrix, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName("confusionSplit");
    split->addWidget(left);
    split->addWidget(m_classes);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    m_split = split;
    m_classes->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    connect(m_task, &QComboBox::currentIndexChanged, this, &ConfusionView::showMatrix);
    connect(m_display, &QComboBox::currentIndexChanged, this, &ConfusionView::showMatrix);
    setMessage(tr("Select a finished run with a classification task to see its confusion matrix."));
}

void ConfusionView::setRun(RunPtr run) {
    if (run == m_run && !m_stale) {
        if (!m_matrices.empty())
            showMatrix(); // the run may have been renamed
        return;
    }
    m_run = std::move(run);
    m_stale = true;
    if (isVisible())
        refresh();
}

void ConfusionView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    // Side by side where there is room for both; otherwise the per-class table goes below, so the
    // matrix keeps the whole width.
    m_split->setOrientation(width() >= 1000 ? Qt::Horizontal : Qt::Vertical);
}

void ConfusionView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
}

void ConfusionView::refresh() {
    // A run still training has no kept weights yet; look again once it has.
    if (!m_stale && !(m_run && m_matrices.empty() && !m_run->running))
        return;
    m_stale = false;
    compute();
}

void ConfusionView::setMessage(const QString& text) {
    m_matrices.clear();
    {
        const QSignalBlocker block(m_task);
        m_task->clear();
    }
    m_matrix->clear();
    m_matrix->setRowCount(0);
    m_matrix->setColumnCount(0);
    m_classes->setRowCount(0);
    m_summary->setText(text);
}

void ConfusionView::compute() {
    if (!m_run)
        return setMessage(
            tr("Select a finished run with a classification task to see its confusion matrix."));
    if (m_run->running) {
        m_stale = true;
        return setMessage(tr("%1 is training: its confusion matrix shows when it has finished.")
                              .arg(m_run->name));
    }
    if (!m_run->trained)
        return setMessage(tr("%1 kept no trained weights.").arg(m_run->name));
    const bool anyClassifier = std::any_of(
        m_run->trained->spec.nodes.begin(), m_run->trained->spec.nodes.end(),
        [](const core::NodeSpec& n) {
            return n.kind == core::NodeKind::TaskHead && core::isClassification(n.task.loss);
        });
    if (!anyClassifier)
        return setMessage(tr("%1 has no classification task: a confusion matrix needs a "
                             "Cross-entropy or Binary cross-entropy head.")
                              .arg(m_run->name));
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        // The run's own data: the project's dataset when it is the one the run trained on.
        std::shared_ptr<const core::Dataset> rows;
        if (m_run->snapshot.dataset == m_document->project().dataset &&
            m_document->dataState() == DataState::Ready)
            rows = m_document->dataset();
        else
            rows = std::make_shared<const core::Dataset>(core::loadDataset(
                m_run->snapshot.dataset, m_document->projectDirectory().toStdString()));
        const core::DataSplit split = core::splitData(*rows, m_run->snapshot.training);
        const bool validation = !split.validation.empty();
        m_matrices = core::confusionMatrices(*m_run->trained, *rows,
                                             validation ? split.validation : split.train);
        m_rowsText = validation ? counted(qint64(split.validation.size()),
                                          tr("the 1 validation row"), tr("the %1 validation rows"))
                                : tr("the training rows (the run had no validation share)");
    } catch (const std::exception& e) {
        QApplication::restoreOverrideCursor();
        return setMessage(tr("Could not compute the confusion matrix of %1: %2")
                              .arg(m_run->name, QString::fromStdString(e.what())));
    }
    QApplication::restoreOverrideCursor();
    const QSignalBlocker block(m_task);
    m_task->clear();
    for (const auto& m : m_matrices) {
        m_task->addItem(m.column == m.task
                            ? QString::fromStdString(m.task)
                            : QStringLiteral("%1 · %2").arg(QString::fromStdString(m.task),
                                                            QString::fromStdString(m.column)));
    }
    m_task->setCurrentIndex(0);
    showMatrix();
}

void ConfusionView::showMatrix() {
    const int index = m_task->currentIndex();
    if (index < 0 || index >= int(m_matrices.size()))
        return;
    const core::ConfusionMatrix& m = m_matrices[std::size_t(index)];
    const bool shares = m_display->currentIndex() == 1;
    const int k = int(m.classes());
    QStringList labels;
    for (const auto& label : m.labels)
        labels << QString::fromStdString(label);
    m_matrix->clear();
    m_matrix->setRowCount(k);
    m_matrix->setColumnCount(k);
    m_matrix->setHorizontalHeaderLabels(labels);
    m_matrix->setVerticalHeaderLabels(labels);
    struct Confusion {
        core::Index count;
        int truth, predicted;
    };
    std::vector<Confusion> confusions;
    for (int t = 0; t < k; ++t) {
        const core::Index support = m.scores(t).support;
        for (int p = 0; p < k; ++p) {
            const core::Index count = m.at(t, p);
            const double fraction = support > 0 ? double(count) / double(support) : 0.0;
            auto* item = cell(shares ? (support > 0 ? percent(fraction) : QStringLiteral("—"))
                                     : QString::number(count));
            item->setBackground(cellColour(fraction));
            item->setForeground(fraction > 0.6 ? QColor(Qt::white) : QColor(Qt::black));
            if (t == p) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
            item->setToolTip(tr("True %1, predicted %2: %3 (%4 of the true %1)")
                                 .arg(labels[t], labels[p])
                                 .arg(count)
                                 .arg(percent(fraction)));
            m_matrix->setItem(t, p, item);
            if (t != p && count > 0)
                confusions.push_back({count, t, p});
        }
    }
    m_classes->setRowCount(k);
    for (int c = 0; c < k; ++c) {
        const core::ClassScores s = m.scores(c);
        m_classes->setItem(c, 0, new QTableWidgetItem(labels[c]));
        m_classes->setItem(c, 1, cell(share(s.precision)));
        m_classes->setItem(c, 2, cell(share(s.recall)));
        m_classes->setItem(c, 3, cell(share(s.f1)));
        m_classes->setItem(c, 4, cell(QString::number(s.support)));
    }
    std::sort(confusions.begin(), confusions.end(),
              [](const Confusion& a, const Confusion& b) { return a.count > b.count; });
    QStringList most;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, confusions.size()); ++i)
        most << tr("%1 taken for %2 (%3)")
                    .arg(labels[confusions[i].truth], labels[confusions[i].predicted])
                    .arg(confusions[i].count);
    QString text = tr("%1 on %2, with the weights it kept: accuracy %3, macro F1 %4.")
                       .arg(m_run->name, m_rowsText, share(m.accuracy()), share(m.macroF1()));
    if (!most.isEmpty())
        text += " " + tr("Most confused: %1.").arg(most.join(", "));
    m_summary->setText(text);
}

QString ConfusionView::summaryText() const {
    return m_summary->text();
}

} // namespace mtl::ui
