// Renders answers with textContent only: question and answer text are never HTML.
(function () {
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const result = document.getElementById("result");

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function render(data) {
    result.replaceChildren();
    const box = el("div", undefined, data.abstained ? "answer abstained" : "answer");
    // split "[n]" markers into links to the cited sections
    const byN = Object.fromEntries(data.citations.map(c => [c.n, c]));
    for (const part of data.answer.split(/(\[\d+\])/)) {
      const m = part.match(/^\[(\d+)\]$/);
      if (m && byN[m[1]]) {
        const a = el("a", part);
        a.href = byN[m[1]].url;
        box.append(a);
      } else {
        box.append(document.createTextNode(part));
      }
    }
    result.append(box);
    if (data.citations.length) {
      const list = el("ol", undefined, "sources");
      for (const c of data.citations) {
        const li = el("li");
        const a = el("a", `${c.title} — ${c.section}`);
        a.href = c.url;
        li.append(a, el("div", c.snippet));
        list.append(li);
      }
      result.append(el("h2", "Sources"), list);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    result.replaceChildren(el("p", "Looking it up…"));
    try {
      const response = await fetch("/api/chat", {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify({question}),
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error ? data.error.message : response.statusText);
      render(data);
    } catch (err) {
      result.replaceChildren(el("p", `Sorry, that failed: ${err.message}`, "error"));
    }
    input.focus();
  });
})();
