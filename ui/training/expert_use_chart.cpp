#include "training/expert_use_chart.h"

#include "training/chart_style.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QBoxLayout>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLegend>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>

namespace mtl::ui {

namespace {

// The gate nodes of a network, in its instance order.
QStringList gateNodes(const core::Model& model) {
    QStringList nodes;
    for (const core::Instance& inst : model.instances()) {
        const QString id = QString::fromStdString(model.layerNodeId(inst.layer));
        if (!inst.experts.empty() && !nodes.contains(id))
            nodes.push_back(id);
    }
    return nodes;
}

} // namespace

ExpertUseChart::ExpertUseChart(QWidget* parent)
    : QWidget(parent), m_view(new QChartView(new QChart, this)), m_title(new QLabel(this)),
      m_gate(new QComboBox(this)), m_series(new QHorizontalStackedBarSeries(this)),
      m_tasks(new QBarCategoryAxis(this)), m_weights(new QValueAxis(this)) {
    setObjectName("expertUse");
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(80);
    QChart* chart = m_view->chart();
    styleChart(chart);
    styleAxis(m_tasks);
    styleAxis(m_weights);
    chart->addSeries(m_series);
    chart->addAxis(m_tasks, Qt::AlignLeft);
    chart->addAxis(m_weights, Qt::AlignBottom);
    m_series->attachAxis(m_tasks);
    m_series->attachAxis(m_weights);
    chart->legend()->setMarkerShape(QLegend::MarkerShapeRectangle); // the bars' colours
    m_weights->setRange(0.0, 1.0);
    m_weights->setTickCount(6);
    m_weights->setLabelFormat("%.1f");
    m_weights->setTitleText(tr("mean gate weight"));
    m_title->setObjectName("expertUseTitle");
    m_title->setWordWrap(true);
    m_gate->setObjectName("expertGateChoice");
    m_gate->setToolTip(tr("The expert gate whose use is shown"));
    connect(m_gate, &QComboBox::currentIndexChanged, this, [this] { refresh(); });

    auto* top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_gate);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    setVisible(false);
}

void ExpertUseChart::setRun(RunPtr run) {
    m_run = std::move(run);
    const QSignalBlocker block(m_gate);
    m_gate->clear();
    if (m_run && m_run->model)
        m_gate->addItems(gateNodes(*m_run->model));
    m_gate->setVisible(m_gate->count() > 1);
    setVisible(m_gate->count() > 0);
    m_shown.clear();
    refresh();
}

void ExpertUseChart::refresh() {
    if (!m_run || m_gate->count() == 0)
        return;
    const std::string gate = m_gate->currentText().toStdString();
    std::vector<core::GateUse> uses;
    for (const core::GateUse& use : m_run->gates) {
        if (use.nodeId == gate)
            uses.push_back(use);
    }
    const int epoch = int(m_run->metrics.epochs().size());
    m_title->setText(uses.empty()
                         ? tr("<b>Expert use</b> — %1: shown after the first epoch")
                               .arg(QString::fromStdString(gate))
                         : tr("<b>Expert use</b> — %1, epoch %2: the mean weight each task's gate "
                              "gives each expert")
                               .arg(QString::fromStdString(gate))
                               .arg(epoch));
    if (uses == m_shown)
        return;
    m_shown = uses;
    m_series->clear();
    // Bars stack from the bottom: the tasks go in last first, so the first is on top.
    QStringList tasks;
    for (auto use = uses.rbegin(); use != uses.rend(); ++use)
        tasks.push_back(QString::fromStdString(use->task));
    m_tasks->setCategories(tasks);
    if (uses.empty())
        return;
    for (std::size_t e = 0; e < uses.front().experts.size(); ++e) {
        auto* set = new QBarSet(QString::fromStdString(uses.front().experts[e]));
        for (auto use = uses.rbegin(); use != uses.rend(); ++use)
            set->append(e < use->weights.size() ? use->weights[e] : 0.0);
        m_series->append(set);
    }
}

std::vector<std::vector<double>> ExpertUseChart::shownWeights() const {
    std::vector<std::vector<double>> out;
    const auto sets = m_series->barSets();
    for (int task = m_tasks->count(); task-- > 0;) {
        std::vector<double> row;
        for (const QBarSet* set : sets)
            row.push_back(set->at(task));
        out.push_back(row);
    }
    return out;
}

QStringList ExpertUseChart::shownTasks() const {
    QStringList tasks = m_tasks->categories();
    std::reverse(tasks.begin(), tasks.end());
    return tasks;
}

QStringList ExpertUseChart::shownExperts() const {
    QStringList experts;
    for (const QBarSet* set : m_series->barSets())
        experts.push_back(set->label());
    return experts;
}

} // namespace mtl::ui
