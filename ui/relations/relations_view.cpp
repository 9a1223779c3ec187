#include "relations/relations_view.h"

#include "document/counted.h"
#include "relations/affinity_measurement.h"
#include "relations/heatmap_widget.h"
#include "relations/pair_chart.h"
#include "relations/relation_summary.h"
#include "relations/task_graph_widget.h"
#include "relations/task_relations.h"
#include "training/chart_style.h"

#include "io/project_file.h"

#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGroupBox>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>

#include <cmath>

namespace mtl::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One record's matrix of the chosen relation for a block.
std::vector<double> recordMatrix(const core::RelationRecord& r, std::size_t block, bool magnitude) {
    const core::RelationBlock& b = r.blocks[block];
    if (!magnitude)
        return b.cosine;
    const auto n = std::size_t(r.tasks);
    std::vector<double> m(n * n, kNaN);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            if (!std::isnan(b.cosine[i * n + j]))
                m[i * n + j] = core::magnitudeSimilarity(b.norm[i], b.norm[j]);
        }
    }
    return m;
}

} // namespace

RelationsView::RelationsView(QWidget* parent)
    : QWidget(parent), m_relation(new QComboBox(this)), m_layer(new QComboBox(this)),
      m_mean(new QCheckBox(tr("Mean over the run"), this)),
      m_time(new QSlider(Qt::Horizontal, this)), m_timeText(new QLabel(this)),
      m_heatmap(new HeatmapWidget(this)), m_graph(new TaskGraphWidget(this)),
      m_threshold(new QSlider(Qt::Horizontal, this)), m_pairs(new QChartView(new QChart, this)),
      m_groups(new QSpinBox(this)), m_grouping(new QLabel(this)),
      m_create(new QPushButton(tr("Build network"), this)), m_batches(new QSpinBox(this)),
      m_measure(new QPushButton(tr("Measure affinity"), this)), m_status(new QLabel(this)),
      m_affinity(new AffinityMeasurement(this)), m_split(new QSplitter(Qt::Vertical, this)) {
    setObjectName("taskRelations");
    m_relation->setObjectName("relationChoice");
    m_relation->addItem(tr("Gradient cosine"), int(Relation::Cosine));
    m_relation->addItem(tr("Gradient-magnitude similarity"), int(Relation::Magnitude));
    m_relation->addItem(tr("Task affinity (after training)"), int(Relation::Affinity));
    m_relation->addItem(tr("Learned task correlation (MTRL Ω)"), int(Relation::Learned));
    m_relation->addItem(tr("Cross-stitch mixing (after training)"), int(Relation::Stitch));
    m_relation->setToolTip(
        tr("Cosine: do two tasks' gradients on the shared layers point the same way (blue) or "
           "against each other (red)? Magnitude similarity: are they of the same size? Affinity: "
           "does a step on the row's task lower (blue) or raise (red) the column's loss? Learned: "
           "the task correlation a soft-shared layer coupled by learned relationships (MTRL) "
           "found in its copies' weights."));
    m_layer->setObjectName("relationLayer");
    m_mean->setChecked(true);
    m_time->setObjectName("relationTime");
    m_time->setEnabled(false);
    m_threshold->setRange(0, 100);
    m_threshold->setValue(5);
    m_threshold->setToolTip(
        tr("Hide the task graph's edges weaker than this share of the strongest possible"));
    m_groups->setObjectName("groupCount");
    m_groups->setRange(1, 1);
    m_grouping->setObjectName("groupingText");
    m_grouping->setWordWrap(true);
    m_grouping->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_create->setObjectName("createFromGrouping");
    m_create->setToolTip(tr("Create a network with one shared trunk per group of tasks"));
    for (QComboBox* box : {m_relation, m_layer}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(8);
    }
    m_batches->setRange(1, 1000);
    m_batches->setValue(20);
    m_batches->setSuffix(tr(" batches"));
    m_status->setWordWrap(true);
    m_pairs->setRenderHint(QPainter::Antialiasing);
    m_pairs->setMinimumHeight(90);
    m_pairs->chart()->setTitle(tr("Gradient cosine of each pair of tasks"));
    styleChart(m_pairs->chart());
    m_pairs->chart()->legend()->setAlignment(Qt::AlignRight); // many pairs: a column

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Show"), this));
    controls->addWidget(m_relation, 1);
    controls->addWidget(new QLabel(tr("of"), this));
    controls->addWidget(m_layer, 1);
    auto* when = new QHBoxLayout;
    when->addWidget(m_mean);
    when->addWidget(m_time, 1);
    when->addWidget(m_timeText);
    auto* graphBox = new QWidget(this);
    auto* graphLayout = new QVBoxLayout(graphBox);
    graphLayout->setContentsMargins(0, 0, 0, 0);
    graphLayout->addWidget(m_graph, 1);
    auto* thresholdRow = new QHBoxLayout;
    thresholdRow->addWidget(new QLabel(tr("Hide weaker than"), this));
    thresholdRow->addWidget(m_threshold);
    graphLayout->addLayout(thresholdRow);
    auto* top = new QSplitter(Qt::Horizontal, this);
    top->addWidget(m_heatmap);
    top->addWidget(graphBox);
    auto* groupingBox = new QGroupBox(tr("Task grouping"), this);
    auto* groupingLayout = new QHBoxLayout(groupingBox);
    groupingLayout->addWidget(new QLabel(tr("Groups"), this));
    groupingLayout->addWidget(m_groups);
    groupingLayout->addWidget(m_grouping, 1);
    groupingLayout->addWidget(m_create);
    auto* affinity = new QHBoxLayout;
    affinity->addWidget(m_measure);
    affinity->addWidget(m_batches);
    affinity->addWidget(m_status, 1);
    m_split->addWidget(top);
    m_split->addWidget(m_pairs);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 2);
    auto* exporter = new QPushButton(tr("Export…"), this);
    exporter->setObjectName("exportRelations");
    exporter->setToolTip(tr("Save the view as a PNG image, or the matrix shown as CSV"));
    when->addWidget(exporter);
    connect(exporter, &QPushButton::clicked, this, [this] {
        QString filter;
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export task relations"), {},
                                         tr("PNG image (*.png);;Matrix CSV (*.csv)"), &filter);
        if (path.isEmpty())
            return;
        const bool csv = path.endsWith(".csv", Qt::CaseInsensitive) || filter.contains("csv");
        if (!(csv ? exportCsv(path) : exportPng(path))) {
            QMessageBox::warning(this, tr("Export task relations"),
                                 tr("Could not write %1.").arg(path));
        }
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addLayout(when);
    layout->addWidget(m_split, 1);
    layout->addWidget(groupingBox);
    layout->addLayout(affinity);

    connect(m_relation, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(m_layer, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(m_mean, &QCheckBox::toggled, this, [this](bool mean) {
        m_time->setEnabled(!mean);
        refresh();
    });
    connect(m_time, &QSlider::valueChanged, this, [this] { refresh(); });
    connect(m_threshold, &QSlider::valueChanged, this,
            [this](int v) { m_graph->setThreshold(v / 100.0); });
    connect(m_groups, &QSpinBox::valueChanged, this, [this] { updateGrouping(); });
    connect(m_create, &QPushButton::clicked, this, [this] {
        if (m_run)
            emit createNetworkRequested(m_run, grouping());
    });
    connect(m_measure, &QPushButton::clicked, this,
            [this] { measureAffinity(m_batches->value()); });
    connect(m_affinity, &AffinityMeasurement::finished, this, &RelationsView::affinityMeasured);
    setRun(nullptr);
}

RelationsView::~RelationsView() = default;

bool RelationsView::affinityRunning() const {
    return m_affinity->running();
}

void RelationsView::setRun(RunPtr run) {
    m_run = std::move(run);
    m_shownRecords = 0;
    rebuildControls();
    refresh();
}

void RelationsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    m_shownRecords = 0;
    refresh();
}

void RelationsView::setSmoothing(double smoothing) {
    m_smoothing = smoothing;
    refresh();
}

void RelationsView::showRelation(Relation relation) {
    m_relation->setCurrentIndex(m_relation->findData(int(relation)));
}

const std::vector<double>& RelationsView::matrix() const {
    return m_matrix;
}

void RelationsView::rebuildControls() {
    const QSignalBlocker block(m_layer);
    m_layer->clear();
    m_layer->addItem(tr("all shared layers"));
    if (m_run && !m_run->relations.empty()) {
        const auto& blocks = m_run->relations.front().blocks;
        for (std::size_t k = 1; k < blocks.size(); ++k)
            m_layer->addItem(QString::fromStdString(blocks[k].layer));
    }
    const int tasks = m_run ? int(m_run->metrics.taskCount()) : 1;
    m_groups->setRange(1, std::max(1, tasks));
    if (m_groups->value() == 1 && tasks > 2)
        m_groups->setValue(2);
    m_measure->setEnabled(m_run && m_run->trained && !m_run->running && !m_affinity->running());
}

void RelationsView::refresh() {
    if (m_run && m_layer->count() == 1 && !m_run->relations.empty() &&
        m_run->relations.front().blocks.size() > 1) {
        rebuildControls();
    }
    if (m_run)
        m_measure->setEnabled(m_run->trained && !m_run->running && !m_affinity->running());
    updateMatrix();
    if (isVisible())
        updatePairChart();
    updateGrouping();
}

void RelationsView::updateMatrix() {
    m_matrix.clear();
    std::vector<QString> tasks;
    std::vector<QColor> colours;
    if (m_run) {
        for (std::size_t t = 0; t < m_run->metrics.taskCount(); ++t) {
            tasks.push_back(QString::fromStdString(m_run->metrics.tasks()[t]));
            colours.push_back(m_colourOf ? m_colourOf(m_run->metrics.tasks()[t], t)
                                         : QColor(Qt::gray));
        }
    }
    const auto relation = static_cast<Relation>(m_relation->currentData().toInt());
    const auto& records = m_run ? m_run->relations : std::vector<core::RelationRecord>{};
    const auto block = std::size_t(std::max(0, m_layer->currentIndex()));
    const bool measured = relation == Relation::Cosine || relation == Relation::Magnitude;
    m_layer->setEnabled(measured);
    m_mean->setEnabled(measured);
    m_time->setEnabled(measured && !m_mean->isChecked());
    m_heatmap->setPlaceholder(
        relation == Relation::Affinity
            ? tr("Task affinity is measured on a trained run: press Measure affinity.")
        : relation == Relation::Stitch
            ? tr("No cross-stitch units: tick Cross-stitch on a soft-shared layer and train; the "
                 "mixing it learned shows here.")
        : relation == Relation::Learned
            ? tr("No learned relationships: set a soft-shared layer's Coupling to \"Learned "
                 "relationships (MTRL)\" and train; its task covariance Ω shows here after an "
                 "epoch.")
            : tr("No task relations yet: they are measured while a network whose layers several "
                 "tasks share trains (Settings: relations every N steps)."));
    if (relation == Relation::Affinity) {
        m_matrix = m_run ? m_run->affinity : std::vector<double>{};
        // No fixed scale: full colour at the largest effect of one task on another.
        double scale = 0.0;
        const std::size_t n = tasks.size();
        for (std::size_t i = 0; i < n && m_matrix.size() == n * n; ++i) {
            for (std::size_t j = 0; j < n; ++j) {
                if (i != j && !std::isnan(m_matrix[i * n + j]))
                    scale = std::max(scale, std::abs(m_matrix[i * n + j]));
            }
        }
        m_timeText->setText(m_matrix.empty() ? tr("not measured yet")
                                             : tr("%1 batches").arg(m_run->affinityBatches));
        m_heatmap->setMatrix(m_matrix, m_matrix.empty() ? std::vector<QString>{} : tasks, colours,
                             scale, tr("step on"), tr("loss of"));
        m_graph->setMatrix(m_matrix, m_matrix.empty() ? std::vector<QString>{} : tasks, colours,
                           scale);
        return;
    }
    if (relation == Relation::Learned) {
        showLearned(tasks, colours);
        return;
    }
    if (relation == Relation::Stitch) {
        showStitch(tasks, colours);
        return;
    }
    const bool magnitude = relation == Relation::Magnitude;
    if (records.empty() || block >= records.front().blocks.size()) {
        m_heatmap->setMatrix({}, {}, {}, 1.0);
        m_graph->setMatrix({}, {}, {}, 1.0);
        m_timeText->clear();
        return;
    }
    // Follow the newest measurement while the slider sits at the end.
    const bool atEnd = m_time->value() >= m_time->maximum();
    {
        const QSignalBlocker b(m_time);
        m_time->setRange(0, int(records.size()) - 1);
        if (atEnd)
            m_time->setValue(m_time->maximum());
    }
    if (m_mean->isChecked()) {
        const auto summaries = core::summarizeRelations(records);
        m_matrix = magnitude ? summaries[block].magnitude : summaries[block].cosine;
        m_timeText->setText(
            counted(qint64(records.size()), tr("1 measurement"), tr("%1 measurements")));
    } else {
        // Smoothed like the loss curves: a debiased moving average up to the chosen step.
        const auto upTo = std::size_t(m_time->value());
        const std::size_t n = records.front().blocks[block].cosine.size();
        std::vector<double> sum(n, 0.0), weight(n, 0.0);
        double w = 1.0;
        for (std::size_t k = upTo + 1; k-- > 0;) {
            const auto m = recordMatrix(records[k], block, magnitude);
            for (std::size_t i = 0; i < n; ++i) {
                if (std::isnan(m[i]))
                    continue;
                sum[i] += w * m[i];
                weight[i] += w;
            }
            w *= m_smoothing;
            if (w < 1e-4)
                break;
        }
        m_matrix.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            m_matrix[i] = weight[i] > 0 ? sum[i] / weight[i] : kNaN;
        m_timeText->setText(tr("step %1").arg(records[upTo].step));
    }
    m_heatmap->setMatrix(m_matrix, tasks, colours, 1.0, tr("gradient of"), tr("and"), false);
    m_graph->setMatrix(m_matrix, tasks, colours, 1.0);
}

void RelationsView::updatePairChart() {
    QChart* chart = m_pairs->chart();
    const std::size_t records = m_run ? m_run->relations.size() : 0;
    if (records == m_shownRecords && !chart->series().isEmpty())
        return;
    m_shownRecords = records;
    drawPairCosines(chart, m_run.get(), std::size_t(std::max(0, m_layer->currentIndex())),
                    m_smoothing, m_colourOf);
}

} // namespace mtl::ui
