#include "document/node_text.h"

#include "model/node_kind_info.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace mtl::ui {

using core::NodeKind;

namespace {

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

QString kindTitle(NodeKind kind) {
    return text(core::kindInfo(kind).title);
}
QString kindDescription(NodeKind kind) {
    return text(core::kindInfo(kind).description);
}
QString kindExplanation(NodeKind kind) {
    return text(core::kindInfo(kind).explanation);
}
const std::vector<NodeKind>& paletteKinds() {
    return core::allNodeKinds();
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

QString couplingTitle(core::Coupling coupling) {
    switch (coupling) {
    case core::Coupling::MeanL2:
        return QObject::tr("L2 to the mean");
    case core::Coupling::TraceNorm:
        return QObject::tr("trace norm");
    case core::Coupling::Relationship:
        return QObject::tr("learned relationships (MTRL)");
    }
    return {};
}

QString propertyTitle(const std::string& property, core::NodeKind kind) {
    if (const core::NodeField* field = core::findField(kind, property))
        return text(field->label);
    static const std::pair<const char*, const char*> titles[] = {
        {"sharing", QT_TRANSLATE_NOOP("Inspector", "Sharing")},
        {"couplingStrength", QT_TRANSLATE_NOOP("Inspector", "Coupling λ")},
        {"coupling", QT_TRANSLATE_NOOP("Inspector", "Coupling")},
        {"relationshipEvery", QT_TRANSLATE_NOOP("Inspector", "Learn Ω every")},
        {"crossStitch", QT_TRANSLATE_NOOP("Inspector", "Cross-stitch")},
        {"name", QT_TRANSLATE_NOOP("Inspector", "Task name")},
        {"loss", QT_TRANSLATE_NOOP("Inspector", "Loss")},
        {"weight", QT_TRANSLATE_NOOP("Inspector", "Weight")},
        {"huberDelta", QT_TRANSLATE_NOOP("Inspector", "Huber δ")},
        {"targets", QT_TRANSLATE_NOOP("Inspector", "Targets")},
        {"edges", QT_TRANSLATE_NOOP("Inspector", "Connections")},
        {"id", QT_TRANSLATE_NOOP("Inspector", "Name")},
    };
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
    const auto title = core::kindInfo(node.kind).nodeTitle;
    return title ? QString::fromStdString(title(node)) : kindTitle(node.kind);
}

QString nodeDetail(const core::NodeSpec& node) {
    // A head's detail is its task's (the loss by the name the inspector uses).
    if (node.kind == NodeKind::TaskHead)
        return QObject::tr("%1 · weight %2").arg(lossTitle(node.task.loss)).arg(double(node.task.weight));
    const auto detail = core::kindInfo(node.kind).nodeDetail;
    return detail ? QString::fromStdString(detail(node)) : QString();
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
