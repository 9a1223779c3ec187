#include "dialogs/table_text.h"

#include <QHeaderView>
#include <QStringList>
#include <QTableWidget>

namespace mtl::ui {

namespace {

QString cellText(const QTableWidgetItem* item) {
    return item ? item->text().replace('\t', ' ').replace('\n', ' ') : QString();
}

} // namespace

QString tabSeparated(const QTableWidget* table) {
    const bool rowHeadings = !table->verticalHeader()->isHidden();
    QStringList lines;
    QStringList header;
    if (rowHeadings)
        header << QString();
    for (int c = 0; c < table->columnCount(); ++c)
        header << cellText(table->horizontalHeaderItem(c));
    lines << header.join('\t');
    for (int r = 0; r < table->rowCount(); ++r) {
        if (table->isRowHidden(r))
            continue;
        QStringList cells;
        if (rowHeadings)
            cells << cellText(table->verticalHeaderItem(r));
        for (int c = 0; c < table->columnCount(); ++c)
            cells << cellText(table->item(r, c));
        lines << cells.join('\t');
    }
    return lines.join('\n') + '\n';
}

} // namespace mtl::ui
