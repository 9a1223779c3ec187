#include "document/node_text.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace mtl::ui {

using core::NodeKind;

QString kindTitle(NodeKind kind) {
    switch (kind) {
    case NodeKind::Input: return QObject::tr("Input");
    case NodeKind::Dense: return QObject::tr("Dense");
    case NodeKind::Conv2D: return QObject::tr("Conv 2D");
    case NodeKind::MaxPool2D: return QObject::tr("Max pool 2D");
    case NodeKind::Flatten: return QObject::tr("Flatten");
    case NodeKind::Dropout: return QObject::tr("Dropout");
    case NodeKind::LayerNorm: return QObject::tr("Layer norm");
    case NodeKind::ReLU: return QObject::tr("ReLU");
    case NodeKind::LeakyReLU: return QObject::tr("Leaky ReLU");
    case NodeKind::Tanh: return QObject::tr("Tanh");
    case NodeKind::Sigmoid: return QObject::tr("Sigmoid");
    case NodeKind::GELU: return QObject::tr("GELU");
    case NodeKind::TaskHead: return QObject::tr("Task head");
    }
    return {};
}

QString kindDescription(NodeKind kind) {
    switch (kind) {
    case NodeKind::Input: return QObject::tr("The dataset's input features or image");
    case NodeKind::Dense: return QObject::tr("Fully connected layer; can be shared hard or soft");
    case NodeKind::Conv2D: return QObject::tr("2-D convolution over an image; can be shared hard or soft");
    case NodeKind::MaxPool2D: return QObject::tr("Keeps the largest value of each window");
    case NodeKind::Flatten: return QObject::tr("Turns an image into a flat feature vector");
    case NodeKind::Dropout: return QObject::tr("Zeroes a random fraction of features while training");
    case NodeKind::LayerNorm: return QObject::tr("Normalises each sample's features; can be shared");
    case NodeKind::ReLU:
    case NodeKind::LeakyReLU:
    case NodeKind::Tanh:
    case NodeKind::Sigmoid:
    case NodeKind::GELU: return QObject::tr("Activation function");
    case NodeKind::TaskHead: return QObject::tr("Ends a task: its targets, loss and weight");
    }
    return {};
}

QString kindExplanation(NodeKind kind) {
    switch (kind) {
    case NodeKind::Input:
        return QObject::tr("Feeds each sample's features (or image, channels × height × width) to "
                           "the layers after it.");
    case NodeKind::Dense:
        return QObject::tr(
            "y = W·x + b: every output is a weighted sum of all inputs. Parameters: inputs × units "
            "weights and units biases.");
    case NodeKind::Conv2D:
        return QObject::tr("Slides each filter (channels × k × k weights and a bias) over the "
                           "image with the stride "
                           "and padding; one output channel per filter.");
    case NodeKind::MaxPool2D:
        return QObject::tr("Keeps the largest value of each window, per channel, moving by the "
                           "stride. No parameters.");
    case NodeKind::Flatten:
        return QObject::tr(
            "Lays an image's channels × height × width out as one feature vector. No parameters.");
    case NodeKind::Dropout:
        return QObject::tr(
            "While training, sets each feature to zero with probability rate and scales the rest "
            "by "
            "1 / (1 − rate); passes features unchanged when predicting. No parameters.");
    case NodeKind::LayerNorm:
        return QObject::tr(
            "Subtracts each sample's mean over its features, divides by their standard deviation, "
            "then scales and shifts per feature (2 × features parameters).");
    case NodeKind::ReLU:
        return QObject::tr("max(0, x), per feature. No parameters.");
    case NodeKind::LeakyReLU:
        return QObject::tr("x where x > 0, slope × x elsewhere, per feature. No parameters.");
    case NodeKind::Tanh:
        return QObject::tr("tanh(x), per feature: values in (−1, 1). No parameters.");
    case NodeKind::Sigmoid:
        return QObject::tr("1 / (1 + e^−x), per feature: values in (0, 1). No parameters.");
    case NodeKind::GELU:
        return QObject::tr(
            "x · Φ(x) (Φ: the standard normal distribution), per feature. No parameters.");
    case NodeKind::TaskHead:
        return QObject::tr(
            "Ends a task: its input is the prediction (one value per numeric target, one logit per "
            "class for Cross-entropy), compared with the task's targets by its loss. Training "
            "minimises Σ weight × loss over the tasks.");
    }
    return {};
}

const std::vector<NodeKind>& paletteKinds() {
    static const std::vector<NodeKind> kinds{
        NodeKind::Dense,   NodeKind::Conv2D,    NodeKind::MaxPool2D, NodeKind::Flatten,
        NodeKind::Dropout, NodeKind::LayerNorm, NodeKind::ReLU,      NodeKind::LeakyReLU,
        NodeKind::Tanh,    NodeKind::Sigmoid,   NodeKind::GELU,      NodeKind::TaskHead,
        NodeKind::Input};
    return kinds;
}

QString lossTitle(core::LossKind loss) {
    switch (loss) {
    case core::LossKind::MSE: return QObject::tr("MSE");
    case core::LossKind::MAE: return QObject::tr("MAE");
    case core::LossKind::Huber: return QObject::tr("Huber");
    case core::LossKind::SoftmaxCrossEntropy: return QObject::tr("Cross-entropy");
    case core::LossKind::BinaryCrossEntropy: return QObject::tr("Binary cross-entropy");
    }
    return {};
}

QString propertyTitle(const std::string& property, core::NodeKind kind) {
    static const std::pair<const char*, const char*> titles[] = {
        {"units", QT_TRANSLATE_NOOP("Inspector", "Units")},
        {"filters", QT_TRANSLATE_NOOP("Inspector", "Filters")},
        {"stride", QT_TRANSLATE_NOOP("Inspector", "Stride")},
        {"padding", QT_TRANSLATE_NOOP("Inspector", "Padding")},
        {"rate", QT_TRANSLATE_NOOP("Inspector", "Rate")},
        {"slope", QT_TRANSLATE_NOOP("Inspector", "Slope")},
        {"sharing", QT_TRANSLATE_NOOP("Inspector", "Sharing")},
        {"couplingStrength", QT_TRANSLATE_NOOP("Inspector", "Coupling λ")},
        {"name", QT_TRANSLATE_NOOP("Inspector", "Task name")},
        {"loss", QT_TRANSLATE_NOOP("Inspector", "Loss")},
        {"weight", QT_TRANSLATE_NOOP("Inspector", "Weight")},
        {"huberDelta", QT_TRANSLATE_NOOP("Inspector", "Huber δ")},
        {"targets", QT_TRANSLATE_NOOP("Inspector", "Targets")},
        {"edges", QT_TRANSLATE_NOOP("Inspector", "Connections")},
        {"id", QT_TRANSLATE_NOOP("Inspector", "Name")},
    };
    if (property == "kernelSize") {
        return kind == core::NodeKind::MaxPool2D
                   ? QCoreApplication::translate("Inspector", "Window")
                   : QCoreApplication::translate("Inspector", "Kernel size");
    }
    for (const auto& [key, title] : titles) {
        if (property == key)
            return QCoreApplication::translate("Inspector", title);
    }
    return QString::fromStdString(property);
}

QString wrappable(const QString& name) {
    QString out;
    out.reserve(name.size() + 8);
    for (QChar c : name) {
        out += c;
        if (c == '_' || c == '-' || c == '.')
            out += QChar(0x200B);
    }
    return out;
}

QString nodeTitle(const core::NodeSpec& node) {
    switch (node.kind) {
    case NodeKind::Dense: return QObject::tr("Dense %1").arg(node.units);
    case NodeKind::Conv2D:
        return QObject::tr("Conv %1@%2×%2").arg(node.filters).arg(node.kernelSize);
    case NodeKind::MaxPool2D: return QObject::tr("Max pool %1×%1").arg(node.kernelSize);
    case NodeKind::Dropout: return QObject::tr("Dropout %1").arg(double(node.rate));
    case NodeKind::TaskHead: return QString::fromStdString(node.task.name);
    default: return kindTitle(node.kind);
    }
}

QString nodeDetail(const core::NodeSpec& node) {
    switch (node.kind) {
    case NodeKind::Conv2D: return QObject::tr("stride %1, pad %2").arg(node.stride).arg(node.padding);
    case NodeKind::MaxPool2D: return QObject::tr("stride %1").arg(node.stride);
    case NodeKind::LeakyReLU: return QObject::tr("slope %1").arg(double(node.slope));
    case NodeKind::TaskHead:
        return QObject::tr("%1 · weight %2").arg(lossTitle(node.task.loss)).arg(double(node.task.weight));
    default: return {};
    }
}

QString durationText(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("—");
    if (seconds < 10)
        return QObject::tr("%1 s").arg(seconds, 0, 'f', 1);
    if (seconds < 60)
        return QObject::tr("%1 s").arg(std::lround(seconds));
    if (seconds < 3600)
        return QObject::tr("%1 min %2 s").arg(long(seconds) / 60).arg(long(seconds) % 60);
    return QObject::tr("%1 h %2 min").arg(long(seconds) / 3600).arg(long(seconds) % 3600 / 60);
}

QString countText(double count) {
    const double size = std::abs(count);
    if (size >= 1e9) return QLocale().toString(count / 1e9, 'f', 1) + " G";
    if (size >= 1e6) return QLocale().toString(count / 1e6, 'f', 1) + " M";
    return QLocale().toString(static_cast<qlonglong>(std::llround(count)));
}

} // namespace mtl::ui
