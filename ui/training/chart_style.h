#pragma once
// One look for the app's charts, made to stay readable when small (a 1366×768 laptop): square
// corners, thin margins, the legend in a line above the plot rather than a column beside it, and
// axis labels a point smaller than the text around them.

class QAbstractAxis;
class QChart;

namespace mtl::ui {

void styleChart(QChart* chart);
void styleAxis(QAbstractAxis* axis);

} // namespace mtl::ui
