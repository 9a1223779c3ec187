#pragma once
// Help → User guide: the README and the documents it links to (balancing methods, task relations,
// file formats, …), bundled with the app and rendered; a list of the page's sections to jump to,
// Back and Home, and a search field.

#include <QDialog>

class QLineEdit;
class QListWidget;
class QTextBrowser;

namespace mtl::ui {

class UserGuideDialog : public QDialog {
    Q_OBJECT
public:
    explicit UserGuideDialog(QWidget* parent = nullptr);

    QTextBrowser* browser() const { return m_browser; }
    QListWidget* sections() const { return m_sections; }
    // Jumps to the section titled `title` (else the first whose title contains it); false when
    // there is none.
    bool showSection(const QString& title);
    void showBlock(int position); // the block at this document position, at the top of the view
    // Finds the next occurrence of `text` (from the top when it reaches the end).
    bool find(const QString& text);

    static QUrl home(); // the README inside the app

private:
    void listSections();

    QTextBrowser* m_browser;
    QListWidget* m_sections;
    QLineEdit* m_search;
};

} // namespace mtl::ui
