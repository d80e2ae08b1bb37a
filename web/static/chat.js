// The chat page. Question and answer text are inserted with textContent only.
(function () {
  "use strict";
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const result = document.getElementById("result");
  const status = document.getElementById("status");
  const historyBox = document.getElementById("history-box");
  const historyList = document.getElementById("history");
  const HISTORY_KEY = "kbbot-history";

  const { el, link } = window.kbDom;

  // "[n]" markers become links to the cited sections; "- " lines become list items
  function withMarkers(node, text, byN) {
    for (const part of text.split(/(\[\d+\])/)) {
      const m = part.match(/^\[(\d+)\]$/);
      if (m && byN[m[1]]) {
        const a = link(part, byN[m[1]].url);
        a.className = "cite";
        a.setAttribute("aria-label", `source ${m[1]}: ${byN[m[1]].title}, ${byN[m[1]].section}`);
        node.append(a);
      } else {
        node.append(document.createTextNode(part));
      }
    }
    return node;
  }

  function answerText(data) {
    const box = el("div", undefined, data.abstained ? "answer abstained" : "answer");
    const byN = Object.fromEntries(data.citations.map(c => [String(c.n), c]));
    const lines = data.answer.split("\n").filter(l => l.trim());
    lines.filter(l => !l.startsWith("- ")).forEach(l => box.append(withMarkers(el("p"), l, byN)));
    const points = lines.filter(l => l.startsWith("- "));
    if (points.length) {
      const list = el("ul");
      points.forEach(l => list.append(withMarkers(el("li"), l.slice(2), byN)));
      box.append(list);
    }
    return box;
  }

  // The NCCI pair fact (from the loaded CMS table, cited by its release) as a small table
  function pairCheck(check) {
    const box = el("section", undefined, "pair-check " + check.status);
    box.setAttribute("aria-label", "NCCI pair check");
    box.append(el("h2", "NCCI pair check"));
    if (check.status !== "checked") {
      box.append(el("p", check.message, "pair-note"));
      return box;
    }
    const table = el("table");
    table.append(el("caption", `${check.source} · date of service ${check.date}`));
    const head = el("tr");
    ["Codes", "Edit in force", "Modifier", "Effective", "Rationale"].forEach(h => head.append(el("th", h)));
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    for (const p of check.pairs) {
      const edit = p.edits.find(e => e.status === "in force" && e.column1 === p.column1 && e.column2 === p.column2);
      const modifier = !p.edit_in_force ? "—" : p.modifier_goes_on
        ? `59 or XE/XS/XP/XU on ${p.modifier_goes_on} (indicator 1)` : `not allowed (indicator ${p.modifier_indicator})`;
      const row = el("tr");
      [p.codes.join(" + "), p.edit_in_force ? `${p.column1} column 1, ${p.column2} column 2` : "none", modifier,
       edit ? edit.effective + (edit.deletion ? ` to ${edit.deletion}` : "") : "—", edit ? edit.rationale : "—"]
        .forEach(text => row.append(el("td", text)));
      body.append(row);
    }
    table.append(thead, body);
    const scroll = el("div", undefined, "pair-scroll");
    scroll.append(table);
    const mue = el("ul", undefined, "mue");
    check.mue.forEach(m => mue.append(el("li", m.summary)));
    box.append(scroll, el("p", check.message, "pair-summary"), el("h3", "MUE (practitioner)"), mue);
    check.notes.forEach(n => box.append(el("p", n, "pair-note")));
    return box;
  }

  const REASONS = [["", "Reason (optional)"], ["wrong_code", "Wrong code"],
                   ["wrong_modifier", "Wrong modifier advice"], ["outdated", "Outdated"],
                   ["missing", "Something is missing"], ["not_what_i_asked", "Not what I asked"]];

  // Yes (thumbs up) is sent at once; No (thumbs down) first offers a reason and a comment.
  function feedback(data) {
    const box = el("section", undefined, "feedback");
    box.setAttribute("aria-label", "Feedback on this answer");
    const up = el("button", "Yes", "thumb up");
    const down = el("button", "No", "thumb down");
    const thumbs = el("p", undefined, "thumbs");
    const thanks = el("p", undefined, "thanks");
    thanks.setAttribute("role", "status");
    const select = el("select");
    REASONS.forEach(([value, text]) => { const o = el("option", text); o.value = value; select.append(o); });
    const comment = el("textarea");
    comment.maxLength = 1000;
    comment.rows = 2;
    const reasonLabel = el("label", "What was wrong?");
    reasonLabel.append(select);
    const commentLabel = el("label", "Comment (optional)");
    commentLabel.append(comment);
    const send = el("button", "Send feedback");
    send.type = "submit";
    const details = el("form", undefined, "details");
    details.hidden = true;
    details.append(reasonLabel, commentLabel, send);
    [[up, "This answer helped"], [down, "This answer did not help"]].forEach(([b, label]) => {
      b.type = "button";
      b.setAttribute("aria-label", label);
      b.setAttribute("aria-pressed", "false");
    });
    thumbs.append(el("span", "Was this helpful?"), up, down);

    async function post(vote) {
      [up, down, send].forEach(b => { b.disabled = true; });
      try {
        const response = await fetch("/api/feedback", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ question: data.question, answer: data.answer, index_version: data.index_version,
                                 citations: data.citations.map(c => c.url), vote,
                                 reason: select.value || null, comment: comment.value.trim() || null }),
        });
        if (!response.ok) throw new Error(response.statusText);
        details.hidden = true;
        thanks.textContent = "Thanks for the feedback.";
      } catch (err) {
        [up, down, send].forEach(b => { b.disabled = false; });
        thanks.textContent = "Sorry, the feedback could not be sent.";
      }
    }
    up.addEventListener("click", () => {
      up.setAttribute("aria-pressed", "true");
      down.setAttribute("aria-pressed", "false");
      post("up");
    });
    down.addEventListener("click", () => {
      down.setAttribute("aria-pressed", "true");
      up.setAttribute("aria-pressed", "false");
      details.hidden = false;
      select.focus();
    });
    details.addEventListener("submit", event => { event.preventDefault(); post("down"); });
    box.append(thumbs, details, thanks);
    return box;
  }

  function render(data) {
    result.replaceChildren();
    const chips = [...data.entities.codes, ...data.entities.modifiers.map(m => `modifier ${m}`)];
    if (chips.length) {
      const row = el("ul", undefined, "chips");
      row.setAttribute("aria-label", "Detected codes and modifiers");
      chips.forEach(c => row.append(el("li", c, "chip")));
      result.append(row);
    }
    if (data.pair_check) result.append(pairCheck(data.pair_check));
    if (data.abstained) result.append(el("p", "Not covered by the knowledge base", "badge"));
    result.append(answerText(data), feedback(data));
    if (data.abstained && data.suggestions && data.suggestions.length) {
      const list = el("ul", undefined, "suggestions");
      data.suggestions.forEach(s => { const li = el("li"); li.append(link(s.title, s.url)); list.append(li); });
      result.append(el("h2", "Closest articles"), list);
    }
    if (data.citations.length) {
      const list = el("ol", undefined, "sources");
      for (const c of data.citations) {
        const card = el("li", undefined, "source");
        card.append(link(`${c.title} — ${c.section}`, c.url), el("p", c.snippet, "snippet"));
        list.append(card);
      }
      result.append(el("h2", "Sources"), list);
    }
  }

  function loadHistory() {
    try { return JSON.parse(sessionStorage.getItem(HISTORY_KEY)) || []; } catch (e) { return []; }
  }

  function showHistory() {
    const items = loadHistory();
    historyBox.hidden = items.length === 0;
    historyList.replaceChildren(...items.map(q => {
      const li = el("li");
      const b = el("button", q, "again");
      b.type = "button";
      b.addEventListener("click", () => { input.value = q; ask(q); });
      li.append(b);
      return li;
    }));
  }

  function remember(question) {
    const items = [question, ...loadHistory().filter(q => q !== question)].slice(0, 10);
    try { sessionStorage.setItem(HISTORY_KEY, JSON.stringify(items)); } catch (e) { /* storage off */ }
    showHistory();
  }

  async function ask(question) {
    question = question.trim();
    if (!question) return;
    status.textContent = "Looking it up…";
    form.setAttribute("aria-busy", "true");
    try {
      const response = await fetch("/api/chat", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question }),
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error ? data.error.message : response.statusText);
      render(data);
      status.textContent = "";
      remember(question);
    } catch (err) {
      result.replaceChildren();
      status.textContent = `Sorry, that failed: ${err.message}`;
      status.className = "status error";
    } finally {
      form.removeAttribute("aria-busy");
      input.focus();
    }
  }

  form.addEventListener("submit", event => {
    event.preventDefault();
    status.className = "status";
    ask(input.value);
  });
  showHistory();
  input.focus();
})();
