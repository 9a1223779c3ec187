#pragma once
// How nodes, kinds and numbers read in the editor: one place, so the canvas, the palette, the
// inspector and the problems list all say the same thing.

#include "model/model_spec.h"

#include <QString>

#include <vector>

namespace mtl::ui {

QString kindTitle(core::NodeKind kind);       // "Dense", "Conv 2D", "Task head"
QString kindDescription(core::NodeKind kind); // one line for the palette's tooltip
// What the layer computes and what its parameters are, in a sentence or two (node tooltips).
QString kindExplanation(core::NodeKind kind);
// The kinds a user can add, in palette order.
const std::vector<core::NodeKind>& paletteKinds();
QString nodeTitle(const core::NodeSpec& node);   // "Dense 64", "Conv 8@3×3", "price"
QString nodeDetail(const core::NodeSpec& node);  // "stride 1, pad 1", "MSE · weight 1"
QString countText(double count);                 // "1,234", "1.2 M", "3.4 G"
QString durationText(double seconds); // "0.4 s", "12 s", "3 min 5 s", "2 h 10 min"; "—" if unknown
QString lossTitle(core::LossKind loss);          // "MSE", "Cross-entropy"
QString couplingTitle(core::Coupling coupling);  // "L2 to the mean", "trace norm", …
// A property as the Inspector labels it: "Units", "Kernel size" ("Window" for pooling),
// "Connections" for edges; empty for none.
QString propertyTitle(const std::string& property, core::NodeKind kind);
// A name that may wrap after "_", "-" or "." in a narrow label (zero-width spaces there).
QString wrappable(const QString& name);

} // namespace mtl::ui
