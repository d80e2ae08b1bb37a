// The /learn page: quizzes from /api/quiz, progress kept in localStorage.
// All text from the API is inserted with textContent only.
(function () {
  "use strict";
  const PROGRESS_KEY = "kbbot-learn-progress";
  const PASS = 0.8;
  const paths = document.getElementById("paths");
  const box = document.getElementById("quiz");
  const title = document.getElementById("quiz-title");
  const status = document.getElementById("quiz-status");
  const form = document.getElementById("quiz-form");
  const result = document.getElementById("quiz-result");
  let current = null;

  const { el, link } = window.kbDom;

  function loadProgress() {
    try {
      return JSON.parse(localStorage.getItem(PROGRESS_KEY)) || {};
    } catch (e) {
      return {};
    }
  }

  function saveProgress(key, right, total) {
    const progress = loadProgress();
    const before = progress[key];
    const better = !before || right / total > before.best / before.total;
    progress[key] = {best: better ? right : before.best, total: better ? total : before.total,
                     passed: Boolean(before && before.passed) || right / total >= PASS};
    try {
      localStorage.setItem(PROGRESS_KEY, JSON.stringify(progress));
    } catch (e) { /* storage full or disabled: progress is simply not kept */ }
  }

  function showProgress() {
    const progress = loadProgress();
    for (const state of document.querySelectorAll("[data-state]")) {
      const p = progress[state.dataset.state];
      state.textContent = p ? (p.passed ? `passed, best ${p.best}/${p.total}` : `best ${p.best}/${p.total}`) : "";
      state.className = "step-state" + (p && p.passed ? " passed" : "");
    }
    for (const line of document.querySelectorAll("[data-progress]")) {
      const states = line.closest(".path").querySelectorAll("[data-state]");
      const passed = [...states].filter(state => (progress[state.dataset.state] || {}).passed).length;
      line.textContent = `${passed} of ${line.dataset.steps} steps passed`;
    }
  }

  function question(item, n) {
    const set = el("fieldset", undefined, "question");
    set.append(el("legend", `${n + 1}. ${item.question}`));
    item.options.forEach((option, i) => {
      const id = `q${n}-o${i}`;
      const row = el("div", undefined, "option");
      const input = el("input");
      input.type = "radio";
      input.name = `q${n}`;
      input.id = id;
      input.value = String(i);
      const label = el("label", option);
      label.htmlFor = id;
      row.append(input, label);
      set.append(row);
    });
    return set;
  }

  async function start(button) {
    const params = new URLSearchParams({path: button.dataset.path, n: "10"});
    if (button.dataset.step) params.set("step", button.dataset.step);
    current = {key: `${button.dataset.path}/${button.dataset.step || ""}`, items: []};
    paths.hidden = true;
    box.hidden = false;
    title.textContent = button.dataset.title;
    status.textContent = "Loading the quiz…";
    status.className = "status";
    form.replaceChildren();
    result.replaceChildren();
    try {
      const response = await fetch(`/api/quiz?${params}`);
      const data = await response.json();
      if (!response.ok) throw new Error(data.error ? data.error.message : `error ${response.status}`);
      current.items = data.items;
      status.textContent = `${data.items.length} questions. Pick one answer for each, then check your answers.`;
      data.items.forEach((item, n) => form.append(question(item, n)));
      const submit = el("button", "Check answers");
      submit.type = "submit";
      form.append(submit);
      title.focus();
    } catch (e) {
      status.textContent = `The quiz could not be loaded: ${e.message}`;
      status.className = "status error";
    }
  }

  function check(event) {
    event.preventDefault();
    const missed = [];
    current.items.forEach((item, n) => {
      const chosen = form.querySelector(`input[name="q${n}"]:checked`);
      const right = chosen !== null && Number(chosen.value) === item.answer;
      const set = form.querySelectorAll("fieldset")[n];
      set.classList.add(right ? "right" : "wrong");
      set.querySelectorAll("input").forEach(input => { input.disabled = true; });
      const verdict = el("p", undefined, "verdict");
      verdict.append(el("strong", right ? "Right. " : `Wrong: the answer is "${item.options[item.answer]}". `),
                     document.createTextNode(item.explanation + " "),
                     link(`Read: ${item.source.title} — ${item.source.section}`, item.source.url));
      set.append(verdict);
      if (!right) missed.push(item);
    });
    form.querySelector("button[type=submit]").remove();
    const total = current.items.length;
    const score = total - missed.length;
    saveProgress(current.key, score, total);
    showProgress();
    result.replaceChildren(el("p", `You scored ${score} of ${total}.`, "score"));
    if (missed.length) {
      const list = el("ul", undefined, "missed");
      for (const item of missed) {
        const li = el("li", `${item.question} `);
        li.append(link(`${item.source.title} — ${item.source.section}`, item.source.url));
        list.append(li);
      }
      result.append(el("h3", "Re-read for the questions you missed"), list);
    }
    result.querySelector(".score").scrollIntoView({block: "nearest"});
  }

  paths.addEventListener("click", event => {
    const button = event.target.closest("button.take");
    if (button) start(button);
  });
  form.addEventListener("submit", check);
  document.getElementById("quiz-back").addEventListener("click", () => {
    box.hidden = true;
    paths.hidden = false;
    showProgress();
  });
  showProgress();
})();
