/* Coding help widget. One tag:
 *   <script src="https://HOST/widget.js" data-title="Coding help" async></script>
 * Options: data-mode="inline" data-target="#help" renders into an element instead of a
 * launcher. API: KBWidget.open(), KBWidget.close(), KBWidget.ask("question").
 * Styles live in a Shadow DOM both ways; text from questions and answers is only ever
 * inserted with textContent. */
(function () {
  "use strict";
  const script = document.currentScript ||
    Array.from(document.querySelectorAll("script[src]")).find(s => /\/widget\.js(\?|$)/.test(s.src));
  if (!script) return;
  const base = new URL(script.src, location.href).origin;
  const title = script.dataset.title || "Coding help";
  const inline = script.dataset.mode === "inline";

  const CSS = `
    :host { all: initial; }
    .kbw { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a;
      text-align: left; letter-spacing: normal; }
    .kbw ul.lines { margin: 6px 0 0; padding-left: 18px; }
    * { box-sizing: border-box; }
    .launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; border: 0; border-radius: 24px;
      padding: 12px 18px; background: #123b5d; color: #fff; font: inherit; font-weight: 600; cursor: pointer;
      box-shadow: 0 2px 10px rgba(0,0,0,.25); }
    .panel { display: flex; flex-direction: column; background: #fff; border: 1px solid #c9d2da; border-radius: 10px;
      overflow: hidden; }
    .floating { position: fixed; right: 20px; bottom: 76px; width: min(380px, calc(100vw - 40px));
      height: min(540px, calc(100vh - 100px)); z-index: 2147483000; box-shadow: 0 4px 24px rgba(0,0,0,.25); }
    .inline { min-height: 320px; max-height: 600px; }
    [hidden] { display: none !important; }
    header { display: flex; align-items: center; justify-content: space-between; padding: 10px 12px;
      background: #123b5d; color: #fff; font-weight: 600; }
    header button { background: transparent; color: #fff; border: 0; font: inherit; font-size: 20px; cursor: pointer; }
    .log { flex: 1; overflow-y: auto; padding: 10px 12px; }
    .msg { margin: 0 0 10px; }
    .msg p { margin: 0; }
    .q { font-weight: 600; }
    .a { background: #f3f6f9; border-radius: 6px; padding: 8px; }
    .a.abstained { border-left: 4px solid #b35c00; }
    .a.error { color: #8a0000; }
    .sources { margin: 6px 0 0; padding-left: 20px; font-size: 13px; }
    a { color: #0b5394; }
    form { display: flex; gap: 6px; padding: 10px 12px; border-top: 1px solid #e3e8ed; }
    label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    input { flex: 1; min-width: 0; padding: 8px; font: inherit; border: 1px solid #77838f; border-radius: 4px; color: #1a1a1a; background: #fff; }
    form button { padding: 8px 12px; font: inherit; border: 0; border-radius: 4px; background: #123b5d; color: #fff; cursor: pointer; }
    :focus-visible { outline: 3px solid #e0a800; outline-offset: 2px; }
    .pair { margin: 0 0 6px; font-size: 13px; }
    .pair .scroll { overflow-x: auto; }
    .pair table { border-collapse: collapse; width: 100%; margin: 4px 0; }
    .pair caption { text-align: left; font-weight: 600; }
    .pair th, .pair td { border: 1px solid #c9d2da; padding: 2px 4px; text-align: left; vertical-align: top; }
    .pair th { background: #e3edf5; }
    .pair p { margin: 4px 0 0; }
    .pair.not_checked { border-left: 4px solid #b35c00; padding-left: 6px; }
    .fb { margin: 6px 0 0; font-size: 13px; }
    .fb .thumbs { display: flex; gap: 6px; align-items: center; }
    .fb .thumb { border: 1px solid #77838f; border-radius: 4px; background: #fff; color: #123b5d; padding: 2px 8px;
      font: inherit; font-size: 15px; cursor: pointer; }
    .fb .thumb[aria-pressed="true"] { background: #123b5d; color: #fff; }
    .fb form { display: flex; flex-direction: column; gap: 4px; padding: 6px 0 0; border: 0; }
    .fb label { position: static; width: auto; height: auto; overflow: visible; clip: auto; }
    .fb select, .fb textarea { display: block; width: 100%; font: inherit; }
    .fb form button { align-self: flex-start; }
    .fb .thanks { margin: 4px 0 0; color: #1b5e20; }
  `;

  function el(tag, props, children) {
    const node = document.createElement(tag);
    Object.assign(node, props || {});
    for (const child of children || []) node.append(child);
    return node;
  }

  const host = document.createElement("div");
  host.setAttribute("data-kb-widget", inline ? "inline" : "launcher");
  const root = host.attachShadow({ mode: "open" });
  // A constructed stylesheet, not a <style> element: pages with a strict Content-Security-Policy
  // (this server's own pages among them) block inline <style> but not constructed sheets.
  if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet.prototype.replaceSync === "function") {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.append(el("style", { textContent: CSS }));
  }

  const log = el("div", { className: "log" });
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");
  const inputId = "kbw-q";
  const input = el("input", { id: inputId, type: "text", maxLength: 1000, autocomplete: "off",
                              placeholder: "Ask about a code or modifier" });
  const form = el("form", {}, [el("label", { htmlFor: inputId, textContent: "Your question" }), input,
                               el("button", { type: "submit", textContent: "Ask" })]);
  const closeButton = el("button", { type: "button", textContent: "×", title: "Close" });
  closeButton.setAttribute("aria-label", "Close help");
  const panel = el("section", { className: "panel " + (inline ? "inline" : "floating") },
                   [el("header", {}, [el("span", { textContent: title }), inline ? "" : closeButton]), log, form]);
  panel.setAttribute("aria-label", title);
  const launcher = el("button", { className: "launcher", type: "button", textContent: title });
  launcher.setAttribute("aria-expanded", "false");

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    input.focus();
  }
  function close() {
    if (inline) return;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }
  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeButton.addEventListener("click", close);
  root.addEventListener("keydown", e => { if (e.key === "Escape") close(); });

  function withMarkers(node, text, byN) {
    for (const part of text.split(/(\[\d+\])/)) {
      const m = part.match(/^\[(\d+)\]$/);
      if (m && byN[m[1]]) {
        node.append(el("a", { href: base + byN[m[1]].url, target: "_blank", rel: "noopener", textContent: part }));
      } else {
        node.append(document.createTextNode(part));
      }
    }
    return node;
  }

  // The NCCI pair fact (from the loaded CMS table, cited by its release) as a small table
  function renderPairCheck(check) {
    if (check.status !== "checked") return el("div", { className: "pair not_checked" }, [el("p", { textContent: check.message })]);
    const cells = (tag, texts) => el("tr", {}, texts.map(t => el(tag, { textContent: t })));
    const rows = check.pairs.map(p => {
      const edit = p.edits.find(e => e.status === "in force" && e.column1 === p.column1 && e.column2 === p.column2);
      const modifier = !p.edit_in_force ? "—" : p.modifier_goes_on
        ? `59 or XE/XS/XP/XU on ${p.modifier_goes_on}` : `not allowed (indicator ${p.modifier_indicator})`;
      return cells("td", [p.codes.join(" + "), p.edit_in_force ? `${p.column1} col 1, ${p.column2} col 2` : "none",
                          modifier, edit ? edit.effective + (edit.deletion ? ` to ${edit.deletion}` : "") : "—"]);
    });
    const table = el("table", {}, [el("caption", { textContent: `${check.source} · ${check.date}` }),
                                   el("thead", {}, [cells("th", ["Codes", "Edit", "Modifier", "Effective"])]),
                                   el("tbody", {}, rows)]);
    return el("div", { className: "pair checked" }, [el("div", { className: "scroll" }, [table]),
      el("p", { textContent: check.message }), ...check.mue.map(m => el("p", { textContent: "MUE " + m.summary }))]);
  }

  const REASONS = [["", "Reason (optional)"], ["wrong_code", "Wrong code"],
                   ["wrong_modifier", "Wrong modifier advice"], ["outdated", "Outdated"],
                   ["missing", "Something is missing"], ["not_what_i_asked", "Not what I asked"]];

  // Yes (thumbs up) is sent at once; No (thumbs down) first offers a reason and a comment.
  function renderFeedback(data) {
    const thumb = (text, label) => {
      const b = el("button", { type: "button", className: "thumb", textContent: text });
      b.setAttribute("aria-label", label);
      b.setAttribute("aria-pressed", "false");
      return b;
    };
    const up = thumb("Yes", "This answer helped");
    const down = thumb("No", "This answer did not help");
    const select = el("select", {}, REASONS.map(([value, text]) => el("option", { value, textContent: text })));
    const comment = el("textarea", { maxLength: 1000, rows: 2 });
    const send = el("button", { type: "submit", textContent: "Send feedback" });
    const details = el("form", { hidden: true }, [el("label", { textContent: "What was wrong?" }, [select]),
                                                  el("label", { textContent: "Comment (optional)" }, [comment]), send]);
    const thanks = el("p", { className: "thanks" });
    thanks.setAttribute("role", "status");
    const box = el("div", { className: "fb" }, [el("div", { className: "thumbs" },
                                                  [el("span", { textContent: "Helpful?" }), up, down]), details, thanks]);
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Feedback on this answer");

    async function post(vote) {
      [up, down, send].forEach(b => { b.disabled = true; });
      try {
        const response = await fetch(base + "/api/feedback", {
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
    details.addEventListener("submit", e => { e.preventDefault(); post("down"); });
    return box;
  }

  function renderAnswer(data) {
    const box = el("div", { className: "msg a" + (data.abstained ? " abstained" : "") });
    if (data.pair_check) box.append(renderPairCheck(data.pair_check));
    const byN = Object.fromEntries(data.citations.map(c => [String(c.n), c]));
    const lines = data.answer.split("\n").filter(l => l.trim());
    const points = lines.filter(l => l.startsWith("- "));
    lines.filter(l => !l.startsWith("- ")).forEach(l => box.append(withMarkers(el("p", { className: "lead" }), l, byN)));
    if (points.length) {
      box.append(el("ul", { className: "lines" }, points.map(l => withMarkers(el("li"), l.slice(2), byN))));
    }
    if (data.citations.length) {
      box.append(el("ol", { className: "sources" }, data.citations.map(c =>
        el("li", {}, [el("a", { href: base + c.url, target: "_blank", rel: "noopener",
                                textContent: `${c.title} — ${c.section}` })]))));
    }
    box.append(renderFeedback(data));
    return box;
  }

  async function ask(question) {
    question = String(question || "").trim();
    if (!question) return;
    if (!inline) open();
    const asked = el("p", { className: "msg q", textContent: question });
    log.append(asked);
    const pending = el("p", { className: "msg a", textContent: "Looking it up…" });
    log.append(pending);
    log.scrollTop = log.scrollHeight;
    let reply;
    try {
      const response = await fetch(base + "/api/chat", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ question }),
      });
      const data = await response.json();
      if (response.ok) {
        reply = renderAnswer(data);
      } else if (data.error && data.error.code === "origin_not_allowed") {
        reply = el("p", { className: "msg a error", textContent: "Not allowed: this site is not allowed to use " + title + "." });
      } else {
        reply = el("p", { className: "msg a error", textContent: (data.error && data.error.message) || "The request failed." });
      }
    } catch (err) {
      reply = el("p", { className: "msg a error", textContent: "The help service could not be reached." });
    }
    pending.replaceWith(reply);
    log.scrollTop = asked.offsetTop - log.offsetTop;  // the start of the answer, not its end
  }

  form.addEventListener("submit", e => {
    e.preventDefault();
    const question = input.value;
    input.value = "";
    ask(question).then(() => input.focus());
  });

  const wrapper = el("div", { className: "kbw" });
  root.append(wrapper);
  if (inline) {
    wrapper.append(panel);
    let target = null;
    try {
      target = script.dataset.target ? document.querySelector(script.dataset.target) : null;
    } catch (err) {
      target = null;  // an invalid selector: fall back to the page body
    }
    (target || document.body || script.parentNode).append(host);
  } else {
    panel.hidden = true;
    wrapper.append(panel, launcher);
    (document.body || document.documentElement).append(host);
  }

  const api = window.KBWidget || (window.KBWidget = { instances: [] });
  api.instances.push({ open, close, ask, inline });
  const primary = () => api.instances.find(i => !i.inline) || api.instances[0];
  api.open = () => primary().open();
  api.close = () => primary().close();
  api.ask = q => primary().ask(q);
})();
