#include "dialogs/csv_import_dialog.h"

#include "document/node_text.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace mtl::ui {

namespace {

enum ColumnsColumn { ColName, ColDetected, ColMissing, ColRole, ColType };

QString typeText(core::ColumnType type) {
    switch (type) {
    case core::ColumnType::Auto: return QObject::tr("detect");
    case core::ColumnType::Numeric: return QObject::tr("numeric");
    case core::ColumnType::Categorical: return QObject::tr("categorical");
    }
    return {};
}

} // namespace

CsvImportDialog::CsvImportDialog(QWidget* parent)
    : QDialog(parent), m_path(new QLineEdit(this)), m_message(new QLabel(this)), m_preview(new QTableWidget(this)),
      m_columns(new QTableWidget(0, 5, this)), m_missing(new QComboBox(this)),
      m_rebuild(new QRadioButton(tr("Build a new network: a hard-shared trunk with one head per target"), this)),
      m_keep(new QRadioButton(tr("Keep the network; add a head for each new target column"), this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    setWindowTitle(tr("Import CSV"));
    resize(860, 620);
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(new QLabel(tr("File:"), this));
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browse);
    m_message->setWordWrap(true);
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->verticalHeader()->setDefaultSectionSize(22);
    m_columns->setHorizontalHeaderLabels({tr("Column"), tr("Detected"), tr("Missing"), tr("Role"), tr("Type")});
    m_columns->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
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
    m_columns->setRowCount(int(m_data.columns.size()));
    const int last = int(m_data.columns.size()) - 1;
    for (int r = 0; r <= last; ++r) {
        const auto& column = m_data.columns[std::size_t(r)];
        m_columns->setItem(r, ColName, new QTableWidgetItem(QString::fromStdString(column.name)));
        QString detected = typeText(column.type);
        // Text with a value per row or nearly so is an identifier or free text, not a category.
        const bool identifier = column.type == core::ColumnType::Categorical &&
                                (column.categories.empty() || core::Index(column.categories.size()) * 10 > m_data.rowCount);
        if (column.type == core::ColumnType::Categorical) {
            detected = column.categories.empty() ? tr("text, too many distinct values")
                                                 : tr("categorical (%1)").arg(column.categories.size());
            if (identifier) detected += tr(" — an identifier?");
        }
        m_columns->setItem(r, ColDetected, new QTableWidgetItem(detected));
        m_columns->setItem(r, ColMissing, new QTableWidgetItem(QString::number(column.missing)));
        auto* role = new QComboBox(m_columns);
        role->addItems({tr("Input"), tr("Target (its own task)"), tr("Ignore")});
        role->setCurrentIndex(r == last ? 1 : identifier ? 2 : 0); // often the last column is the target
        connect(role, &QComboBox::currentIndexChanged, this, &CsvImportDialog::updateOk);
        m_columns->setCellWidget(r, ColRole, role);
        auto* type = new QComboBox(m_columns);
        type->addItem(tr("Detect"), int(core::ColumnType::Auto));
        type->addItem(tr("Numeric"), int(core::ColumnType::Numeric));
        type->addItem(tr("Categorical"), int(core::ColumnType::Categorical));
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
    for (const auto& column : m_data.columns) {
        const QString name = QString::fromStdString(column.name);
        const int role = roleBox(name)->currentIndex();
        if (role == 1) source.roles[column.name] = core::ColumnRole::Target;
        if (role == 2) source.roles[column.name] = core::ColumnRole::Ignore;
        const auto type = static_cast<core::ColumnType>(typeBox(name)->currentData().toInt());
        if (type != core::ColumnType::Auto) source.types[column.name] = type;
    }
    return source;
}

core::DataSchema CsvImportDialog::targetSchema() const {
    core::DataSchema schema;
    const core::CsvSource chosen = source();
    for (const auto& column : m_data.columns) {
        const auto role = chosen.roles.find(column.name);
        if (role == chosen.roles.end() || role->second != core::ColumnRole::Target) continue;
        const auto declared = chosen.types.find(column.name);
        const auto type = declared == chosen.types.end() ? column.type : declared->second;
        core::TargetColumn target{column.name, {}};
        if (type == core::ColumnType::Categorical) {
            target.classLabels = column.categories;
            if (target.classLabels.empty()) target.classLabels = {"?"}; // a numeric column declared categorical
        }
        schema.targets.push_back(target);
    }
    return schema;
}

bool CsvImportDialog::rebuildNetwork() const { return m_rebuild->isChecked(); }

void CsvImportDialog::setRebuildNetwork(bool rebuild) { (rebuild ? m_rebuild : m_keep)->setChecked(true); }

QString CsvImportDialog::errorText() const { return m_loaded ? QString() : m_message->text(); }

void CsvImportDialog::updateOk() {
    int targets = 0;
    int inputs = 0;
    for (int r = 0; r < m_columns->rowCount(); ++r) {
        const int role = qobject_cast<QComboBox*>(m_columns->cellWidget(r, ColRole))->currentIndex();
        targets += role == 1 ? 1 : 0;
        inputs += role == 0 ? 1 : 0;
    }
    const bool ok = m_loaded && targets > 0 && inputs > 0;
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    if (m_loaded && !ok) {
        m_message->setText(targets == 0 ? tr("Choose at least one target column (its role: Target).")
                                        : tr("Keep at least one input column."));
    } else if (m_loaded) {
        m_message->setText(tr("%1 rows, %2 columns: %3 inputs, %4 targets (one task each)")
                               .arg(countText(double(m_data.rowCount)))
                               .arg(m_data.header.size())
                               .arg(inputs)
                               .arg(targets));
    }
}

} // namespace mtl::ui
