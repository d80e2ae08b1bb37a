// DOM helpers shared by the site's pages (not the widget, which is one self-contained
// script served to other origins). Text is set with textContent only.
window.kbDom = {
  el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  },
  link(text, href) {
    const a = window.kbDom.el("a", text);
    a.href = href;
    return a;
  },
};
