// Counts in words: "1 task", "3 tasks". The singular is written out whole ("1 task", "Delete
// connection") and the plural carries %1, so each reads naturally in English.
#pragma once

#include <QString>

namespace mtl::ui {

inline QString counted(qint64 n, const QString& one, const QString& many) {
    return n == 1 ? one : many.arg(n);
}

} // namespace mtl::ui
