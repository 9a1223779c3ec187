#pragma once
// Import CSV: a file, a preview of its first rows, and per column its role (input, target — one
// task per target column — or ignore), its type (detected, or declared), and what to do with
// missing inputs. Accepting gives a CsvSource and the tasks it implies.

#include "data/column_inference.h"
#include "data/csv_dataset.h"
#include "model/model_spec.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QTableWidget;

namespace mtl::ui {

class CsvImportDialog : public QDialog {
    Q_OBJECT
public:
    explicit CsvImportDialog(QWidget* parent = nullptr);
    ~CsvImportDialog() override;

    // Reads the file's preview; false (with the reason shown in the dialog) when it cannot.
    bool openFile(const QString& path);
    // Column roles and types as a project stores them (takes a previous import's choices).
    void setChoices(const core::CsvSource& source);

    core::CsvSource source() const;
    // The target columns as the schema will describe them (labels of categorical ones).
    core::DataSchema targetSchema() const;
    bool rebuildNetwork() const;
    void setRebuildNetwork(bool rebuild);

    // For tests: the role (0 input, 1 target, 2 ignore) and type combos of a column.
    QComboBox* roleBox(const QString& column) const;
    QComboBox* typeBox(const QString& column) const;
    QTableWidget* previewTable() const { return m_preview; }
    QTableWidget* columnsTable() const { return m_columns; } // its last column holds the notes
    QString errorText() const;
    QString messageText() const;
    // How each column would be read with the current choices (its notice or error included).
    std::vector<core::ColumnDecision> decisions() const;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void browse();
    void fillColumns();
    void updateOk();

    QLineEdit* m_path;
    QLabel* m_message;
    QTableWidget* m_preview;
    QTableWidget* m_columns;
    QComboBox* m_missing;
    QRadioButton* m_rebuild;
    QRadioButton* m_keep;
    QDialogButtonBox* m_buttons;
    core::CsvPreview m_data;
    bool m_loaded = false;
    QString m_opened;
};

} // namespace mtl::ui
