#include "dialogs/balancing_help.h"

#include "balancing/balancing_method.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace mtl::ui {

namespace {

QString html(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }

} // namespace

QString balancingHelpHtml() {
    QString page = QObject::tr(
        "<h2>Task balancing</h2><p>How each training step combines the tasks. <i>Loss-based</i> methods weight the "
        "task losses (one backward pass a step). <i>Gradient-based</i> methods look at each task's gradient on the "
        "shared layers (one backward pass per task) and choose the update direction; the tasks' own layers get their "
        "own task's gradient. Choose a method in the Train tab's settings, or with <code>mtl train --balancing "
        "NAME[:PARAM=VALUE,…]</code>. Validation loss, early stopping, the best epoch and Δm always use the task "
        "weights, so reports mean the same whatever the method.</p>");
    for (const core::BalancingMethod& m : core::balancingMethods()) {
        page += QStringLiteral("<h3>%1 <small><code>%2</code></small></h3><p>%3<br><small>%4 · %5</small></p>")
                    .arg(html(m.title), html(m.name), html(m.description),
                         m.family == core::BalancingFamily::Loss ? QObject::tr("loss-based") : QObject::tr("gradient-based"),
                         html(m.cost));
        if (!m.parameters.empty()) {
            page += "<ul>";
            for (const core::BalancingParameter& p : m.parameters) {
                page += QStringLiteral("<li><code>%1</code> = %2 — %3</li>")
                            .arg(html(p.name), html(core::parameterText(p, p.defaultValue)), html(p.help));
            }
            page += "</ul>";
        }
        if (m.reference != "—") page += QStringLiteral("<p><small>%1</small></p>").arg(html(m.reference));
    }
    return page;
}

void showBalancingHelp(QWidget* parent) {
    auto* dialog = new QDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(QObject::tr("Task balancing methods"));
    dialog->resize(720, 640);
    auto* text = new QTextBrowser(dialog);
    text->setHtml(balancingHelpHtml());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog->show();
}

} // namespace mtl::ui
