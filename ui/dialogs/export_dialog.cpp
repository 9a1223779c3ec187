#include "dialogs/export_dialog.h"

#include "export/onnx_export.h"
#include "export/export_plan.h"
#include "export/pytorch_export.h"
#include "util/error.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace mtl::ui {

ExportDialog::ExportDialog(std::vector<RunPtr> runs, RunPtr preferred, QString projectDir, QWidget* parent)
    : QDialog(parent), m_projectDir(std::move(projectDir)), m_run(new QComboBox(this)),
      m_onnx(new QRadioButton(tr("ONNX — one file for ONNX Runtime and other runtimes"), this)),
      m_pytorch(new QRadioButton(tr("PyTorch — a folder: model.py, weights, train.py, sample data"), this)),
      m_native(new QRadioButton(tr("MTL Workbench model (*.mtlmodel) — for mtl predict and the C++ API"), this)),
      m_tasks(new QListWidget(this)), m_path(new QLineEdit(this)), m_summary(new QLabel(this)) {
    setWindowTitle(tr("Export model"));
    resize(620, 480);
    for (const RunPtr& run : runs) {
        if (run->trained) m_runs.push_back(run);
    }
    for (const RunPtr& run : m_runs) m_run->addItem(QStringLiteral("%1 — %2").arg(run->name, run->message));
    const auto at = std::find(m_runs.begin(), m_runs.end(), preferred);
    m_run->setCurrentIndex(at != m_runs.end() ? int(at - m_runs.begin()) : int(m_runs.size()) - 1);
    m_onnx->setChecked(true);
    m_tasks->setMaximumHeight(110);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* where = new QHBoxLayout;
    where->addWidget(m_path, 1);
    where->addWidget(browse);
    auto* form = new QFormLayout;
    form->addRow(tr("Run:"), m_run);
    auto* formats = new QVBoxLayout;
    formats->addWidget(m_onnx);
    formats->addWidget(m_pytorch);
    formats->addWidget(m_native);
    form->addRow(tr("Format:"), formats);
    form->addRow(tr("Tasks:"), m_tasks);
    form->addRow(tr("Write to:"), where);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* exportButton = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary, 1);
    layout->addWidget(buttons);

    connect(m_run, &QComboBox::currentIndexChanged, this, &ExportDialog::runChanged);
    for (QRadioButton* button : {m_onnx, m_pytorch, m_native}) {
        connect(button, &QRadioButton::toggled, this, [this](bool on) {
            if (on) formatChanged();
        });
    }
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = format() == Format::PyTorch
                                 ? QFileDialog::getExistingDirectory(this, tr("Export into folder"), m_projectDir)
                                 : QFileDialog::getSaveFileName(this, tr("Export to"), m_path->text());
        if (!path.isEmpty()) m_path->setText(path);
    });
    connect(exportButton, &QPushButton::clicked, this, [this] { exportNow(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    if (m_runs.empty()) {
        m_summary->setText(tr("No run has trained weights yet: train the network first (the Train tab)."));
        exportButton->setEnabled(false);
    }
    runChanged();
}

RunPtr ExportDialog::currentRun() const {
    const int i = m_run->currentIndex();
    return i >= 0 && i < int(m_runs.size()) ? m_runs[std::size_t(i)] : nullptr;
}

ExportDialog::Format ExportDialog::format() const {
    return m_onnx->isChecked() ? Format::Onnx : m_pytorch->isChecked() ? Format::PyTorch : Format::Native;
}

void ExportDialog::setFormat(Format f) { (f == Format::Onnx ? m_onnx : f == Format::PyTorch ? m_pytorch : m_native)->setChecked(true); }

void ExportDialog::setDestination(const QString& path) { m_path->setText(path); }

void ExportDialog::setTaskChecked(const QString& task, bool checked) {
    for (int i = 0; i < m_tasks->count(); ++i) {
        if (m_tasks->item(i)->text() == task) m_tasks->item(i)->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    }
}

void ExportDialog::runChanged() {
    m_tasks->clear();
    if (const RunPtr run = currentRun(); run && run->model) {
        for (const auto& task : run->model->tasks()) {
            auto* item = new QListWidgetItem(QString::fromStdString(task.name), m_tasks);
            item->setCheckState(Qt::Checked);
        }
    }
    formatChanged();
}

QString ExportDialog::defaultDestination() const {
    const RunPtr run = currentRun();
    QString stem = run ? run->name : QStringLiteral("model");
    stem.replace(' ', '-');
    switch (format()) {
    case Format::Onnx: return QDir(m_projectDir).filePath(stem + ".onnx");
    case Format::PyTorch: return QDir(m_projectDir).filePath(stem + "-pytorch");
    case Format::Native: return QDir(m_projectDir).filePath(stem + ".mtlmodel");
    }
    return {};
}

void ExportDialog::formatChanged() {
    m_tasks->setEnabled(format() != Format::Native);
    m_path->setText(defaultDestination());
}

std::vector<std::string> ExportDialog::chosenTasks() const {
    std::vector<std::string> tasks;
    for (int i = 0; i < m_tasks->count(); ++i) {
        if (m_tasks->item(i)->checkState() == Qt::Checked) tasks.push_back(m_tasks->item(i)->text().toStdString());
    }
    return tasks;
}

bool ExportDialog::exportNow() {
    const RunPtr run = currentRun();
    const QString path = m_path->text().trimmed();
    auto refuse = [this](const QString& why) {
        m_summary->setStyleSheet("color: #d32f2f");
        m_summary->setText(why);
        return false;
    };
    if (!run) return refuse(tr("No run with trained weights to export."));
    if (path.isEmpty()) return refuse(tr("Choose where to write the export."));
    std::vector<std::string> tasks = chosenTasks();
    if (tasks.empty()) return refuse(tr("Choose at least one task to export."));
    if (run->model && tasks.size() == run->model->tasks().size()) tasks.clear(); // all of them
    try {
        QString summary;
        switch (format()) {
        case Format::Onnx: {
            core::writeOnnx(*run->trained, path.toStdString(), {tasks});
            QStringList outputs;
            for (const auto& name : core::onnxOutputNames(*run->trained, {tasks})) outputs << QString::fromStdString(name);
            summary = tr("Wrote %1 (%2 KB).\nInput: \"input\", raw features. Outputs: %3.")
                          .arg(QDir::toNativeSeparators(path))
                          .arg(QFileInfo(path).size() / 1024)
                          .arg(outputs.join(", "));
            break;
        }
        case Format::PyTorch: {
            core::PyTorchExportOptions options;
            options.tasks = tasks;
            const core::Dataset sample = core::loadDataset(run->snapshot.dataset, m_projectDir.toStdString());
            options.sample = &sample;
            QStringList files;
            for (const auto& file : core::exportPyTorch(*run->trained, path.toStdString(), options)) {
                files << QFileInfo(QString::fromStdString(file)).fileName();
            }
            summary = tr("Wrote %1 into %2.\nContinue training with: python3 train.py (or torchrun … train.py).")
                          .arg(files.join(", "), QDir::toNativeSeparators(path));
            break;
        }
        case Format::Native: {
            const core::Model model = core::compile(run->trained->spec, run->trained->schema);
            (void)core::makeExportPlan(model, *run->trained); // refuses like the other formats
            core::writeModel(*run->trained, path.toStdString());
            summary = tr("Wrote %1 (%2 KB): read it with mtl predict or mtl::core::Predictor.")
                          .arg(QDir::toNativeSeparators(path))
                          .arg(QFileInfo(path).size() / 1024);
            break;
        }
        }
        m_summary->setStyleSheet({});
        m_summary->setText(summary);
        return true;
    } catch (const std::exception& e) {
        return refuse(tr("Not exported: %1").arg(QString::fromStdString(e.what())));
    }
}

QString ExportDialog::summary() const { return m_summary->text(); }

} // namespace mtl::ui
