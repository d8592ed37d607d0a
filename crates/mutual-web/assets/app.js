// Small comforts on top of pages that work without this script.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // The log form remembers the last way you were in touch.
  for (const field of document.querySelectorAll("[data-remember]")) {
    const key = "mutual." + field.dataset.remember;
    try {
      const last = localStorage.getItem(key);
      if (last !== null && !field.value) field.value = last;
      field.addEventListener("change", () => localStorage.setItem(key, field.value));
    } catch (_) {
      // Storage may be off; the form works the same.
    }
  }
  // An import's progress, live; the page shows the summary when it ends.
  for (const line of document.querySelectorAll("[data-progress]")) {
    const events = new EventSource(line.dataset.progress);
    events.addEventListener("progress", (event) => { line.textContent = event.data; });
    events.addEventListener("done", () => { events.close(); window.location.reload(); });
    events.onerror = () => { events.close(); window.setTimeout(() => window.location.reload(), 1000); };
  }
  // Removing asks first.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});
