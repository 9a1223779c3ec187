#include "dialogs/new_project_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace mtl::ui {

NewProjectDialog::NewProjectDialog(const core::DatasetSource& current, QString projectDir,
                                   QWidget* parent)
    : QDialog(parent), m_current(current), m_projectDir(std::move(projectDir)),
      m_dataset(new QComboBox(this)),
      m_hard(
          new QRadioButton(tr("Hard-sharing trunk: shared layers, then one head per task"), this)),
      m_soft(new QRadioButton(
          tr("Soft-sharing towers: one copy of each layer per task, coupled by λ"), this)),
      m_single(new QRadioButton(tr("Single-task baseline for:"), this)),
      m_blank(new QRadioButton(tr("Blank: the input alone, to build from the palette"), this)),
      m_task(new QComboBox(this)), m_message(new QLabel(this)) {
    setWindowTitle(tr("New project"));
    m_dataset->addItem(tr("The current project's dataset"), -1);
    for (BuiltInDataset which : builtInDatasets()) {
        m_dataset->addItem(builtInTitle(which), int(which));
    }
    m_hard->setChecked(true);
    m_message->setWordWrap(true);
    m_message->setStyleSheet("color: #d32f2f");
    auto* single = new QHBoxLayout;
    single->addWidget(m_single);
    single->addWidget(m_task, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* form = new QFormLayout;
    form->addRow(tr("Dataset:"), m_dataset);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Network:"), this));
    layout->addWidget(m_hard);
    layout->addWidget(m_soft);
    layout->addLayout(single);
    layout->addWidget(m_blank);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    connect(m_dataset, &QComboBox::currentIndexChanged, this, &NewProjectDialog::datasetChanged);
    connect(m_task, &QComboBox::activated, this, [this] { m_single->setChecked(true); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    datasetChanged();
}

core::DatasetSource NewProjectDialog::chosenSource() const {
    const int which = m_dataset->currentData().toInt();
    return which < 0 ? m_current : builtInSource(static_cast<BuiltInDataset>(which));
}

void NewProjectDialog::datasetChanged() {
    m_task->clear();
    auto* ok = findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    try {
        m_schema = probeSchema(chosenSource(), m_projectDir.toStdString());
        for (const auto& task : tasksFromSchema(m_schema)) m_task->addItem(QString::fromStdString(task.name));
        m_message->clear();
        ok->setEnabled(true);
    } catch (const std::exception& e) {
        m_message->setText(QString::fromStdString(e.what()));
        ok->setEnabled(false);
    }
}

void NewProjectDialog::setTemplate(NetworkTemplate kind) {
    switch (kind) {
    case NetworkTemplate::HardTrunk:
        m_hard->setChecked(true);
        break;
    case NetworkTemplate::SoftTowers:
        m_soft->setChecked(true);
        break;
    case NetworkTemplate::SingleTask:
        m_single->setChecked(true);
        break;
    case NetworkTemplate::Blank:
        m_blank->setChecked(true);
        break;
    }
}

core::Project NewProjectDialog::project() const {
    const NetworkTemplate kind = m_hard->isChecked()    ? NetworkTemplate::HardTrunk
                                 : m_soft->isChecked()  ? NetworkTemplate::SoftTowers
                                 : m_blank->isChecked() ? NetworkTemplate::Blank
                                                        : NetworkTemplate::SingleTask;
    return makeTemplateProject(chosenSource(), m_schema, kind, m_task->currentText().toStdString());
}

} // namespace mtl::ui
