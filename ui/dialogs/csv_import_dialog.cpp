#include "dialogs/csv_import_dialog.h"

#include "document/counted.h"
#include "document/node_text.h"

#include "data/column_inference.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <array>

namespace mtl::ui {

namespace {

enum ColumnsColumn { ColName, ColDetected, ColMissing, ColRole, ColType, ColNotes, ColCount };

// What the values of a column are, in a few words.
QString detectedText(const core::ColumnDecision& d) {
    const core::ColumnInference& in = d.inferred;
    const QString distinct = in.distinct < 0 ? QObject::tr("more than 1000") : QString::number(in.distinct);
    switch (in.kind) {
    case core::ColumnKind::Empty: return QObject::tr("empty");
    case core::ColumnKind::Numeric: return QObject::tr("numeric");
    case core::ColumnKind::NumericWithText:
        return d.textValues == 1 ? QObject::tr("numeric, 1 text value")
                                 : QObject::tr("numeric, %1 text values").arg(d.textValues);
    case core::ColumnKind::Date:
        return QObject::tr("date (%1)").arg(core::dateFormatName(in.dateFormat.value_or(core::DateFormat::YearMonthDayDash)));
    case core::ColumnKind::Categorical: return QObject::tr("categorical (%1)").arg(distinct);
    case core::ColumnKind::HighCardinality: return QObject::tr("categorical, many (%1)").arg(distinct);
    case core::ColumnKind::Identifier: return QObject::tr("identifier (%1 distinct)").arg(distinct);
    }
    return {};
}

} // namespace

CsvImportDialog::CsvImportDialog(QWidget* parent)
    : QDialog(parent), m_path(new QLineEdit(this)), m_message(new QLabel(this)), m_preview(new QTableWidget(this)),
      m_columns(new QTableWidget(0, ColCount, this)), m_missing(new QComboBox(this)),
      m_rebuild(new QRadioButton(tr("Build a new network: a hard-shared trunk with one head per target"), this)),
      m_keep(new QRadioButton(tr("Keep the network; add a head for each new target column"), this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    setWindowTitle(tr("Import CSV"));
    resize(1040, 700);
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(new QLabel(tr("File:"), this));
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browse);
    m_message->setWordWrap(true);
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->verticalHeader()->setDefaultSectionSize(22);
    m_columns->setHorizontalHeaderLabels(
        {tr("Column"), tr("Detected"), tr("Missing"), tr("Role"), tr("Type"), tr("Notes")});
    m_columns->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_columns->horizontalHeader()->setSectionResizeMode(ColNotes, QHeaderView::Stretch);
    m_columns->setWordWrap(true);
    m_columns->verticalHeader()->hide();
    m_columns->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_missing->addItem(tr("Fill in: training mean, or most frequent category"), int(core::MissingInputs::Impute));
    m_missing->addItem(tr("Drop rows with a missing input"), int(core::MissingInputs::DropRow));
    m_rebuild->setChecked(true);

    auto* split = new QSplitter(Qt::Vertical, this);
    auto* previewBox = new QGroupBox(tr("First rows"), split);
    (new QVBoxLayout(previewBox))->addWidget(m_preview);
    auto* columnsBox = new QGroupBox(tr("Columns: role and type"), split);
    (new QVBoxLayout(columnsBox))->addWidget(m_columns);
    auto* options = new QFormLayout;
    options->addRow(tr("Missing inputs:"), m_missing);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(fileRow);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);
    layout->addLayout(options);
    layout->addWidget(m_rebuild);
    layout->addWidget(m_keep);
    layout->addWidget(m_buttons);

    connect(browse, &QPushButton::clicked, this, &CsvImportDialog::browse);
    connect(m_path, &QLineEdit::editingFinished, this, [this] {
        if (m_path->text() != m_opened) openFile(m_path->text());
    });
    // Return in the file field opens the file; only the OK button accepts the dialog.
    for (QAbstractButton* button : m_buttons->buttons()) {
        if (auto* push = qobject_cast<QPushButton*>(button)) push->setAutoDefault(false);
    }
    m_path->installEventFilter(this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateOk();
}

void CsvImportDialog::browse() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import CSV"), QFileInfo(m_path->text()).absolutePath(),
                                                      tr("CSV files (*.csv *.tsv *.txt);;All files (*)"));
    if (!path.isEmpty()) openFile(path);
}

CsvImportDialog::~CsvImportDialog() {
    // Hiding moves the focus, which would finish editing the path of a half-destroyed dialog.
    m_path->disconnect(this);
}

bool CsvImportDialog::openFile(const QString& path) {
    m_path->setText(path);
    m_opened = path;
    m_loaded = false;
    try {
        m_data = core::previewCsv(QFileInfo(path).absoluteFilePath().toStdString());
        m_loaded = true;
        m_message->setStyleSheet({});
        m_message->setText(tr("%1 rows, %2 columns").arg(countText(double(m_data.rowCount))).arg(m_data.header.size()));
    } catch (const std::exception& e) {
        m_data = {};
        m_message->setStyleSheet("color: #d32f2f");
        m_message->setText(QString::fromStdString(e.what()));
    }
    m_preview->clear();
    m_preview->setColumnCount(int(m_data.header.size()));
    m_preview->setRowCount(int(m_data.rows.size()));
    QStringList header;
    for (const auto& h : m_data.header) header << QString::fromStdString(h);
    m_preview->setHorizontalHeaderLabels(header);
    for (int r = 0; r < int(m_data.rows.size()); ++r) {
        const auto& row = m_data.rows[std::size_t(r)];
        for (int c = 0; c < int(row.size()) && c < m_preview->columnCount(); ++c) {
            m_preview->setItem(r, c, new QTableWidgetItem(QString::fromStdString(row[std::size_t(c)])));
        }
    }
    fillColumns();
    updateOk();
    return m_loaded;
}

void CsvImportDialog::fillColumns() {
    const std::vector<core::ColumnDecision> decisions = core::decideColumns(m_data, {});
    m_columns->setRowCount(int(decisions.size()));
    const int last = int(decisions.size()) - 1;
    for (int r = 0; r <= last; ++r) {
        const core::ColumnDecision& d = decisions[std::size_t(r)];
        m_columns->setItem(r, ColName, new QTableWidgetItem(QString::fromStdString(d.name)));
        m_columns->setItem(r, ColDetected, new QTableWidgetItem(detectedText(d)));
        m_columns->setItem(r, ColMissing, new QTableWidgetItem(QString::number(d.missing)));
        m_columns->setItem(r, ColNotes, new QTableWidgetItem);
        auto* role = new QComboBox(m_columns);
        role->addItems({tr("Input"), tr("Target (its own task)"), tr("Ignore")});
        // Often the last column is the target; identifiers and empty columns are ignored.
        const bool usable = d.role != core::ColumnRole::Ignore;
        const bool targetLike = d.inferred.kind != core::ColumnKind::Date && usable;
        role->setCurrentIndex(r == last && targetLike ? 1 : usable ? 0 : 2);
        connect(role, &QComboBox::currentIndexChanged, this, &CsvImportDialog::updateOk);
        m_columns->setCellWidget(r, ColRole, role);
        auto* type = new QComboBox(m_columns);
        type->addItem(tr("Detect"), int(core::ColumnType::Auto));
        type->addItem(tr("Numeric"), int(core::ColumnType::Numeric));
        type->addItem(tr("Numeric, text as missing"), int(core::ColumnType::NumericOrMissing));
        type->addItem(tr("Categorical"), int(core::ColumnType::Categorical));
        type->addItem(tr("Date"), int(core::ColumnType::Date));
        connect(type, &QComboBox::currentIndexChanged, this, &CsvImportDialog::updateOk);
        m_columns->setCellWidget(r, ColType, type);
    }
}

void CsvImportDialog::setChoices(const core::CsvSource& source) {
    for (const auto& [name, role] : source.roles) {
        if (QComboBox* box = roleBox(QString::fromStdString(name))) {
            box->setCurrentIndex(role == core::ColumnRole::Input ? 0 : role == core::ColumnRole::Target ? 1 : 2);
        }
    }
    for (const auto& [name, type] : source.types) {
        if (QComboBox* box = typeBox(QString::fromStdString(name))) box->setCurrentIndex(box->findData(int(type)));
    }
    m_missing->setCurrentIndex(m_missing->findData(int(source.missingInputs)));
    updateOk();
}

QComboBox* CsvImportDialog::roleBox(const QString& column) const {
    for (int r = 0; r < m_columns->rowCount(); ++r) {
        if (m_columns->item(r, ColName)->text() == column) return qobject_cast<QComboBox*>(m_columns->cellWidget(r, ColRole));
    }
    return nullptr;
}

QComboBox* CsvImportDialog::typeBox(const QString& column) const {
    for (int r = 0; r < m_columns->rowCount(); ++r) {
        if (m_columns->item(r, ColName)->text() == column) return qobject_cast<QComboBox*>(m_columns->cellWidget(r, ColType));
    }
    return nullptr;
}

core::CsvSource CsvImportDialog::source() const {
    core::CsvSource source;
    source.path = QFileInfo(m_path->text()).absoluteFilePath().toStdString();
    source.missingInputs = static_cast<core::MissingInputs>(m_missing->currentData().toInt());
    // Every role is written: the project then says how each column is used, whatever the
    // inference of a later version would say.
    constexpr std::array roles{core::ColumnRole::Input, core::ColumnRole::Target, core::ColumnRole::Ignore};
    for (const std::string& column : m_data.header) {
        const QString name = QString::fromStdString(column);
        const QComboBox* role = roleBox(name);
        const QComboBox* type = typeBox(name);
        if (role == nullptr || type == nullptr) continue;
        source.roles[column] = roles[std::size_t(std::clamp(role->currentIndex(), 0, 2))];
        const auto chosen = static_cast<core::ColumnType>(type->currentData().toInt());
        if (chosen != core::ColumnType::Auto) source.types[column] = chosen;
    }
    return source;
}

std::vector<core::ColumnDecision> CsvImportDialog::decisions() const {
    return m_loaded ? core::decideColumns(m_data, source()) : std::vector<core::ColumnDecision>{};
}

core::DataSchema CsvImportDialog::targetSchema() const {
    core::DataSchema schema;
    for (const core::ColumnDecision& d : decisions()) {
        if (d.role != core::ColumnRole::Target) continue;
        core::TargetColumn target{d.name, {}};
        if (d.encoding == core::ColumnType::Categorical) {
            target.classLabels = d.categories;
            if (target.classLabels.empty()) target.classLabels = {"?"};
        }
        schema.targets.push_back(target);
    }
    return schema;
}

bool CsvImportDialog::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_path && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent*>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            if (m_path->text() != m_opened) openFile(m_path->text());
            return true; // never the dialog's default button
        }
    }
    return QDialog::eventFilter(watched, event);
}

bool CsvImportDialog::rebuildNetwork() const { return m_rebuild->isChecked(); }

void CsvImportDialog::setRebuildNetwork(bool rebuild) { (rebuild ? m_rebuild : m_keep)->setChecked(true); }

QString CsvImportDialog::errorText() const { return m_loaded ? QString() : m_message->text(); }

QString CsvImportDialog::messageText() const { return m_message->text(); }

void CsvImportDialog::updateOk() {
    int targets = 0;
    int inputs = 0;
    QString problem;
    const std::vector<core::ColumnDecision> decided = decisions();
    for (int r = 0; r < m_columns->rowCount() && r < int(decided.size()); ++r) {
        const core::ColumnDecision& d = decided[std::size_t(r)];
        targets += d.role == core::ColumnRole::Target ? 1 : 0;
        inputs += d.role == core::ColumnRole::Input ? 1 : 0;
        QTableWidgetItem* notes = m_columns->item(r, ColNotes);
        const QString text = QString::fromStdString(d.error.empty() ? d.notice : d.error);
        notes->setText(text);
        notes->setToolTip(text);
        notes->setForeground(d.error.empty() ? palette().text() : QBrush(QColor(0xd3, 0x2f, 0x2f)));
        if (!d.error.empty() && problem.isEmpty()) problem = tr("Column '%1': %2").arg(QString::fromStdString(d.name), text);
    }
    m_columns->resizeRowsToContents();
    const bool ok = m_loaded && targets > 0 && inputs > 0 && problem.isEmpty();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    m_message->setStyleSheet(m_loaded && !ok ? "color: #d32f2f" : "");
    if (!m_loaded) return;
    if (!problem.isEmpty()) {
        m_message->setText(problem);
    } else if (targets == 0 || inputs == 0) {
        m_message->setText(targets == 0 ? tr("Choose at least one target column (its role: Target).")
                                        : tr("Keep at least one input column."));
    } else {
        m_message->setText(tr("%1 rows, %2 columns: %3, %4")
                               .arg(countText(double(m_data.rowCount)))
                               .arg(m_data.header.size())
                               .arg(counted(inputs, tr("1 input"), tr("%1 inputs")),
                                    counted(targets, tr("1 target (one task)"),
                                            tr("%1 targets (one task each)"))));
    }
}

} // namespace mtl::ui
