#include "dialogs/user_guide_dialog.h"

#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QImage>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTextBlock>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace mtl::ui {

namespace {

// Pictures no wider than the page, so a screenshot does not push the text sideways.
class GuideBrowser : public QTextBrowser {
public:
    using QTextBrowser::QTextBrowser;
    QVariant loadResource(int type, const QUrl& name) override {
        QVariant resource = QTextBrowser::loadResource(type, name);
        if (type != QTextDocument::ImageResource || resource.isNull())
            return resource;
        QImage image = resource.value<QImage>();
        if (image.isNull())
            image.loadFromData(resource.toByteArray());
        const int width = std::max(320, viewport()->width() - 24);
        if (!image.isNull() && image.width() > width)
            image = image.scaledToWidth(width, Qt::SmoothTransformation);
        return image;
    }
};

} // namespace

QUrl UserGuideDialog::home() {
    return QUrl("qrc:/guide/README.md");
}

UserGuideDialog::UserGuideDialog(QWidget* parent)
    : QDialog(parent), m_browser(new GuideBrowser(this)), m_sections(new QListWidget(this)),
      m_search(new QLineEdit(this)) {
    setObjectName("userGuide");
    setWindowTitle(tr("MTL Workbench — User guide"));
    m_browser->setObjectName("guideBrowser");
    m_browser->setOpenLinks(true);
    m_browser->setOpenExternalLinks(true);
    m_sections->setObjectName("guideSections");
    m_search->setPlaceholderText(tr("Find in page (Return for the next)"));
    m_search->setClearButtonEnabled(true);
    auto* back = new QPushButton(tr("Back"), this);
    auto* homeButton = new QPushButton(tr("Contents"), this);
    back->setEnabled(false);
    auto* bar = new QHBoxLayout;
    bar->addWidget(back);
    bar->addWidget(homeButton);
    bar->addWidget(m_search, 1);
    auto* split = new QSplitter(this);
    split->addWidget(m_sections);
    split->addWidget(m_browser);
    split->setStretchFactor(1, 1);
    split->setSizes({190, 760});
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(back, &QPushButton::clicked, m_browser, &QTextBrowser::backward);
    connect(m_browser, &QTextBrowser::backwardAvailable, back, &QPushButton::setEnabled);
    connect(homeButton, &QPushButton::clicked, m_browser,
            [this] { m_browser->setSource(home(), QTextDocument::MarkdownResource); });
    connect(m_browser, &QTextBrowser::sourceChanged, this, &UserGuideDialog::listSections);
    const auto jump = [this](QListWidgetItem* item) {
        showBlock(item->data(Qt::UserRole).toInt());
    };
    connect(m_sections, &QListWidget::itemActivated, this, jump);
    connect(m_sections, &QListWidget::itemClicked, this, jump);
    connect(m_search, &QLineEdit::returnPressed, this, [this] { find(m_search->text()); });
    m_browser->setSource(home(), QTextDocument::MarkdownResource);
    listSections();
    resize(980, 700);
}

void UserGuideDialog::listSections() {
    m_sections->clear();
    for (QTextBlock block = m_browser->document()->begin(); block.isValid(); block = block.next()) {
        const int level = block.blockFormat().headingLevel();
        if (level < 1 || level > 3)
            continue;
        auto* item = new QListWidgetItem(block.text(), m_sections);
        if (level == 1) {
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
        } else if (level == 3) {
            item->setText(QStringLiteral("   ") + block.text());
        }
        item->setData(Qt::UserRole, block.position());
    }
}

void UserGuideDialog::showBlock(int position) {
    const QTextBlock block = m_browser->document()->findBlock(position);
    if (!block.isValid())
        return;
    // Put the heading at the top of the view: scroll to the end first, then back to it.
    m_browser->moveCursor(QTextCursor::End);
    m_browser->setTextCursor(QTextCursor(block));
    m_browser->ensureCursorVisible();
}

bool UserGuideDialog::showSection(const QString& title) {
    // The heading that is the title, else the first that contains it.
    const QString wanted = title.trimmed();
    QTextBlock partial;
    for (QTextBlock block = m_browser->document()->begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().headingLevel() == 0)
            continue;
        if (block.text().trimmed().compare(wanted, Qt::CaseInsensitive) == 0) {
            showBlock(block.position());
            return true;
        }
        if (!partial.isValid() && block.text().contains(wanted, Qt::CaseInsensitive))
            partial = block;
    }
    if (!partial.isValid())
        return false;
    showBlock(partial.position());
    return true;
}

bool UserGuideDialog::find(const QString& text) {
    if (text.isEmpty())
        return false;
    if (m_browser->find(text))
        return true;
    m_browser->moveCursor(QTextCursor::Start);
    return m_browser->find(text);
}

} // namespace mtl::ui
