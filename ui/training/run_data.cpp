#include "training/run_data.h"

#include <QDir>

namespace mtl::ui {

RunPtr loadRun(const core::RunRecord& record, const std::string& projectDir) {
    auto run = std::make_shared<RunData>();
    static_cast<core::RunContents&>(*run) = core::readRecordedRun(record, projectDir);
    run->name = QString::fromStdString(record.name);
    run->directory = QDir(QString::fromStdString(projectDir))
                         .absoluteFilePath(QString::fromStdString(record.directory));
    run->note = QString::fromStdString(record.note);
    run->message = QString::fromStdString(record.stopReason);
    return run;
}

core::RunRecord runRecord(const RunData& run) {
    core::RunRecord record;
    record.name = run.name.toStdString();
    record.directory = QDir::cleanPath(run.directory).toStdString();
    record.stopReason = run.message.toStdString();
    record.epochs = run.epochs;
    record.note = run.note.toStdString();
    return record;
}

} // namespace mtl::ui
