#pragma once
// A table as tab-separated text for the clipboard (a spreadsheet pastes it as cells): the column
// headings, then each shown row — led by its row heading when the table has row headings.

#include <QString>

class QTableWidget;

namespace mtl::ui {

QString tabSeparated(const QTableWidget* table);

} // namespace mtl::ui
