#pragma once
// The Train tab's "Task relations" view for one run: the matrix of the chosen relation —
// gradient cosine, gradient-magnitude similarity (both measured during training, for all shared
// layers or one of them, at a chosen step smoothed like the loss curves or averaged over the
// run), or task affinity (measured on the trained model on request) — as a heatmap and as a
// task graph; each pair's cosine over training; and the task grouping that keeps the most
// related tasks together, which "Build network" turns into a new graph.

#include "training/run_data.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QChartView;
class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QSplitter;

namespace mtl::ui {

class AffinityMeasurement;
class HeatmapWidget;
class TaskGraphWidget;

class RelationsView : public QWidget {
    Q_OBJECT
public:
    explicit RelationsView(QWidget* parent = nullptr);
    ~RelationsView() override; // waits for an affinity measurement (AffinityMeasurement)

    using ColourOf = std::function<QColor(const std::string& task, std::size_t index)>;
    void setColourOf(ColourOf colourOf) { m_colourOf = std::move(colourOf); }
    // Where a run's CSV data lives (its project's folder), for the affinity measurement.
    void setProjectDirectory(QString directory) { m_projectDirectory = std::move(directory); }
    void setRun(RunPtr run);
    void setSmoothing(double smoothing);
    void refresh();

    enum class Relation { Cosine, Magnitude, Affinity, Learned, Stitch };
    void showRelation(Relation relation);
    // The matrix shown now ([tasks × tasks]).
    const std::vector<double>& matrix() const;
    QComboBox* layerChoice() const { return m_layer; }
    QCheckBox* meanChoice() const { return m_mean; }
    QSlider* timeSlider() const { return m_time; }
    QSpinBox* groupCount() const { return m_groups; }
    QLabel* groupingText() const { return m_grouping; }
    QPushButton* createButton() const { return m_create; }
    TaskGraphWidget* graph() const { return m_graph; }
    // Measures the affinity of the run's trained model on a worker thread; done() when finished.
    void measureAffinity(int batches);
    bool affinityRunning() const;
    // The heatmap, task graph and pair chart as one PNG; the matrix shown as CSV.
    bool exportPng(const QString& path);
    bool exportCsv(const QString& path) const;
    // The suggested grouping, by task name.
    std::vector<std::vector<std::string>> grouping() const;

protected:
    void showEvent(QShowEvent* event) override; // catches up with what arrived while hidden

signals:
    void createNetworkRequested(mtl::ui::RunPtr run, std::vector<std::vector<std::string>> groups);
    void affinityFinished(QString message);

private:
    void rebuildControls();
    void updateMatrix();
    // The learned task correlation Ω_ij/√(Ω_ii Ω_jj) of a relationship-coupled layer.
    void showLearned(const std::vector<QString>& tasks, const std::vector<QColor>& colours);
    // The learned mixing of the run's first cross-stitch unit (trained runs).
    void showStitch(const std::vector<QString>& tasks, const std::vector<QColor>& colours);
    void updatePairChart();
    void updateGrouping();
    void affinityMeasured(const RunPtr& run, int batches, const QString& error);

    ColourOf m_colourOf;
    QString m_projectDirectory;
    RunPtr m_run;
    double m_smoothing = 0.6;
    std::vector<double> m_matrix;
    QComboBox* m_relation;
    QComboBox* m_layer;
    QCheckBox* m_mean;
    QSlider* m_time;
    QLabel* m_timeText;
    HeatmapWidget* m_heatmap;
    TaskGraphWidget* m_graph;
    QSlider* m_threshold;
    QChartView* m_pairs;
    QSpinBox* m_groups;
    QLabel* m_grouping;
    QPushButton* m_create;
    QSpinBox* m_batches;
    QPushButton* m_measure;
    QLabel* m_status;
    std::size_t m_shownRecords = 0;
    AffinityMeasurement* m_affinity;
    QSplitter* m_split;
};

} // namespace mtl::ui
