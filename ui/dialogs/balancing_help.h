#pragma once
// Help → Task balancing methods: every method of the core's table with what it does, its cost,
// its parameters and defaults, and its paper.

#include <QString>

class QWidget;

namespace mtl::ui {

// The page as HTML (also for tests).
QString balancingHelpHtml();
void showBalancingHelp(QWidget* parent);

} // namespace mtl::ui
