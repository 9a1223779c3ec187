#include "panels/dataset_panel.h"

#include "document/counted.h"
#include "document/node_text.h"
#include "document/project_document.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStringList>
#include <QVBoxLayout>

namespace mtl::ui {

namespace {

QString sourceText(const core::DatasetSource& source) {
    switch (source.kind) {
    case core::DatasetKind::Synthetic:
        return QObject::tr("Synthetic %1 (seed %2)")
            .arg(source.synthetic.classification ? QObject::tr("classification") : QObject::tr("regression"))
            .arg(source.synthetic.seed);
    case core::DatasetKind::Csv:
        return QObject::tr("CSV file %1").arg(QFileInfo(QString::fromStdString(source.csv.path)).fileName());
    case core::DatasetKind::Fashion:
        return source.fashion.tasks == core::FashionTasks::MultiFashion ? QObject::tr("MultiFashion")
                                                                        : QObject::tr("Fashion-MNIST: item and group");
    case core::DatasetKind::Relatedness: {
        QStringList rho;
        for (float r : source.relatedness.rho) rho << QString::number(double(r));
        return QObject::tr("Synthetic, known task relations: ρ with task1 %1%2 (seed %3)")
            .arg(rho.join(", "),
                 source.relatedness.conflictingPair ? QObject::tr(", and a conflicting pair") : QString())
            .arg(source.relatedness.seed);
    }
    }
    return {};
}

} // namespace

DatasetPanel::DatasetPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_summary(new QLabel(this)), m_builtIn(new QComboBox(this)),
      m_use(new QPushButton(tr("Use"), this)), m_import(new QPushButton(tr("Import CSV…"), this)) {
    setObjectName("dataset");
    m_summary->setWordWrap(true);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_summary->setTextFormat(Qt::RichText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (auto which : builtInDatasets()) m_builtIn->addItem(builtInTitle(which), int(which));
    m_builtIn->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_builtIn->setMinimumContentsLength(10);
    m_use->setToolTip(tr("Train on this built-in dataset"));
    m_builtIn->setPlaceholderText(tr("Built-in datasets…"));
    connect(m_builtIn, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_use->setEnabled(index >= 0); });
    auto* choose = new QHBoxLayout;
    choose->addWidget(m_builtIn, 1);
    choose->addWidget(m_use);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addLayout(choose);
    layout->addWidget(m_import);
    layout->addStretch();
    connect(m_use, &QPushButton::clicked, this,
            [this] { emit builtInRequested(static_cast<BuiltInDataset>(m_builtIn->currentData().toInt())); });
    connect(m_import, &QPushButton::clicked, this, &DatasetPanel::importCsvRequested);
    connect(document, &ProjectDocument::datasetStateChanged, this, &DatasetPanel::refresh);
    connect(document, &ProjectDocument::changed, this, &DatasetPanel::refresh);
    refresh();
}

void DatasetPanel::refresh() {
    // The selector shows the project's dataset when it is a built-in one, and none otherwise.
    int current = -1;
    for (int i = 0; i < m_builtIn->count(); ++i) {
        if (builtInSource(static_cast<BuiltInDataset>(m_builtIn->itemData(i).toInt())) == m_document->project().dataset) {
            current = i;
        }
    }
    m_builtIn->setCurrentIndex(current);
    QString text = QStringLiteral("<b>%1</b><br>").arg(sourceText(m_document->project().dataset).toHtmlEscaped());
    switch (m_document->dataState()) {
    case DataState::Loading: text += tr("Loading…"); break;
    case DataState::Failed:
        text += QStringLiteral("<span style='color:#d32f2f'>%1</span>").arg(m_document->dataMessage().toHtmlEscaped());
        break;
    case DataState::Ready: {
        const auto dataset = m_document->dataset();
        const auto& schema = dataset->schema;
        text += tr("%1 rows · input %2").arg(countText(double(dataset->rows())), QString::fromStdString(schema.inputShape.toString()));
        if (!schema.inputColumns.empty())
            text += tr(" from %1")
                        .arg(counted(qint64(schema.inputColumns.size()), tr("1 column"),
                                     tr("%1 columns")));
        text += "<br>" + tr("Targets:") + "<ul style='margin-left:-20px'>";
        for (const auto& column : schema.targets) {
            text += QStringLiteral("<li>%1 — %2</li>")
                        .arg(QString::fromStdString(column.name).toHtmlEscaped(),
                             column.isCategorical() ? counted(qint64(column.classLabels.size()),
                                                              tr("1 class"), tr("%1 classes"))
                                                    : tr("numeric"));
        }
        text += "</ul>";
        // What loading decided on its own: ignored identifiers, dates, text read as missing.
        QString notes;
        for (const auto& column : dataset->columns) {
            if (column.notice.empty()) continue;
            notes += QStringLiteral("<li><i>%1</i>: %2</li>")
                         .arg(QString::fromStdString(column.name).toHtmlEscaped(),
                              QString::fromStdString(column.notice).toHtmlEscaped());
        }
        if (!notes.isEmpty()) text += tr("Columns:") + "<ul style='margin-left:-20px'>" + notes + "</ul>";
        break;
    }
    }
    m_summary->setText(text);
}

} // namespace mtl::ui
