// Filters the article list as you type.
(function () {
  "use strict";
  const box = document.getElementById("filter");
  box.addEventListener("input", () => {
    const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const group of document.querySelectorAll(".group")) {
      let shown = 0;
      for (const item of group.querySelectorAll("li")) {
        const match = words.every(w => item.dataset.search.includes(w));
        item.hidden = !match;
        shown += match;
      }
      group.hidden = shown === 0;
    }
  });
})();
