#include "dialogs/run_comparison_dialog.h"

#include "dialogs/table_text.h"
#include "training/run_comparison.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScreen>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mtl::ui {

RunComparisonDialog::RunComparisonDialog(const std::vector<RunPtr>& runs, QWidget* parent)
    : QDialog(parent), m_table(new QTableWidget(this)),
      m_onlyDifferences(new QCheckBox(tr("Only rows that differ"), this)) {
    setWindowTitle(tr("Compare runs"));
    setObjectName("runComparison");
    const auto rows = compareRuns(runs);
    m_table->setColumnCount(int(runs.size()));
    QStringList names;
    for (const RunPtr& run : runs)
        names << run->name;
    m_table->setHorizontalHeaderLabels(names);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::ContiguousSelection);
    m_table->setWordWrap(true);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    // Group headings as spanning rows, then the group's rows.
    QString group;
    QStringList labels;
    for (const ComparisonRow& row : rows) {
        if (row.group != group) {
            group = row.group;
            const int r = m_table->rowCount();
            m_table->insertRow(r);
            auto* heading = new QTableWidgetItem(group);
            QFont font = heading->font();
            font.setBold(true);
            heading->setFont(font);
            heading->setBackground(palette().brush(QPalette::AlternateBase));
            m_table->setItem(r, 0, heading);
            if (m_table->columnCount() > 1)
                m_table->setSpan(r, 0, 1, m_table->columnCount());
            labels << QString();
            m_differs.push_back(true); // headings stay
        }
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        labels << row.label;
        m_differs.push_back(row.differs);
        for (int c = 0; c < row.values.size(); ++c) {
            auto* item = new QTableWidgetItem(row.values[c]);
            item->setToolTip(row.values[c]);
            if (row.differs)
                item->setBackground(QColor(255, 243, 205));
            if (row.best == c) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
                item->setToolTip(tr("%1 — the best of these runs").arg(row.values[c]));
            }
            m_table->setItem(r, c, item);
        }
    }
    m_table->setVerticalHeaderLabels(labels);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->resizeColumnsToContents();
    for (int c = 0; c < m_table->columnCount(); ++c)
        m_table->setColumnWidth(c, std::clamp(m_table->columnWidth(c), 90, 260));
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto* note = new QLabel(
        tr("Shaded: the setting or result differs between the runs. Bold: the best value "
           "of a metric. Metrics are those of the weights each run kept."),
        this);
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy the table as tab-separated text (for a spreadsheet)"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_onlyDifferences);
    layout->addWidget(m_table, 1);
    layout->addWidget(note);
    layout->addWidget(buttons);
    connect(m_onlyDifferences, &QCheckBox::toggled, this, &RunComparisonDialog::showRows);
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(tabSeparated()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // As large as its table wants, within the screen.
    const QRect screen =
        (parent ? parent->screen() : QApplication::primaryScreen())->availableGeometry();
    const int width = m_table->verticalHeader()->sizeHint().width() + 60 + [this] {
        int w = 0;
        for (int c = 0; c < m_table->columnCount(); ++c)
            w += m_table->columnWidth(c);
        return w;
    }();
    resize(std::min(std::max(width, 480), screen.width() * 9 / 10),
           std::min(720, screen.height() * 9 / 10));
}

void RunComparisonDialog::showRows() {
    for (int r = 0; r < m_table->rowCount(); ++r)
        m_table->setRowHidden(r, m_onlyDifferences->isChecked() && !m_differs[std::size_t(r)]);
}

QString RunComparisonDialog::tabSeparated() const {
    return mtl::ui::tabSeparated(m_table);
}

} // namespace mtl::ui
