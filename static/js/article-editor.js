// The article editor: formatting toolbar, live preview rendered by the server's own
// Markdown pipeline, word count and reading time, content checks, and autosave.
// No inline script: everything is wired here from data attributes.
(function () {
  "use strict";

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  function start() {

  var WORDS_PER_MINUTE = 220;
  var PREVIEW_DELAY = 400;

  var editor = document.querySelector(".md-editor");
  if (!editor) return;
  var form = editor.closest("form");
  var text = editor.querySelector("textarea");
  var preview = editor.querySelector("[data-md-preview]");
  var words = editor.querySelector("[data-md-words]");
  var minutes = editor.querySelector("[data-md-minutes]");
  var checksList = document.querySelector("[data-checks-list]");

  // --- Formatting toolbar ---------------------------------------------------------------

  function surround(before, after, placeholder) {
    var start = text.selectionStart;
    var end = text.selectionEnd;
    var chosen = text.value.slice(start, end) || placeholder;
    text.setRangeText(before + chosen + after, start, end, "end");
    text.setSelectionRange(start + before.length, start + before.length + chosen.length);
  }

  function prefixLines(prefix) {
    var value = text.value;
    var start = value.lastIndexOf("\n", text.selectionStart - 1) + 1;
    var end = text.selectionEnd;
    var lines = value.slice(start, end).split("\n");
    var changed = lines
      .map(function (line, i) {
        return (typeof prefix === "function" ? prefix(i) : prefix) + line;
      })
      .join("\n");
    text.setRangeText(changed, start, end, "select");
  }

  var ACTIONS = {
    bold: function () { surround("**", "**", "bold text"); },
    italic: function () { surround("_", "_", "italic text"); },
    heading: function () { prefixLines("## "); },
    subheading: function () { prefixLines("### "); },
    link: function () { surround("[", "](https://)", "link text"); },
    quote: function () { prefixLines("> "); },
    list: function () { prefixLines("- "); },
    numbered: function () { prefixLines(function (i) { return i + 1 + ". "; }); },
    footnote: function () {
      var n = (text.value.match(/\[\^\d+\]:/g) || []).length + 1;
      var at = text.selectionEnd;
      text.setRangeText("[^" + n + "]", at, at, "end");
      text.value += "\n\n[^" + n + "]: The note.";
    },
  };

  function act(name) {
    text.focus();
    ACTIONS[name]();
    text.dispatchEvent(new Event("input", { bubbles: true }));
  }

  editor.querySelectorAll("[data-md]").forEach(function (button) {
    button.addEventListener("click", function () { act(button.dataset.md); });
  });
  text.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey)) return;
    var name = { b: "bold", i: "italic", k: "link" }[event.key.toLowerCase()];
    if (name) {
      event.preventDefault();
      act(name);
    }
  });

  // --- Word count, preview, checks ---------------------------------------------------------

  function countWords(value) {
    var found = value.replace(/[#>*_`\[\]()\-]/g, " ").match(/\w+(?:['\u2019-]\w+)*/g);
    return found ? found.length : 0;
  }

  function showStats(count, mins) {
    words.textContent = count.toLocaleString();
    minutes.textContent = mins;
  }

  function formFields() {
    // Everything the form would send except chosen files (the checks only need to know
    // that a new image was chosen).
    var data = new FormData(form);
    var chosenImage = false;
    Array.from(data.entries()).forEach(function (entry) {
      if (entry[1] instanceof File) {
        if (entry[1].name) chosenImage = true;
        data.delete(entry[0]);
      }
    });
    if (chosenImage) data.append("_new_image", "1");
    var checks = document.querySelector("[data-checks]");
    if (checks && checks.dataset.article) data.append("_article", checks.dataset.article);
    data.delete("_transition");
    data.delete("_feature");
    return data;
  }

  function showChecks(checks) {
    if (!checksList || !checks) return;
    checksList.replaceChildren();
    if (!checks.length) {
      var ok = document.createElement("li");
      ok.className = "content-check content-check--ok";
      ok.textContent = "Nothing to fix.";
      checksList.append(ok);
    }
    checks.forEach(function (check) {
      var item = document.createElement("li");
      item.className = "content-check content-check--" + check.level;
      item.textContent = check.message;
      checksList.append(item);
    });
  }

  var timer = null;
  var inFlight = null;

  function refresh() {
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    fetch(editor.dataset.previewUrl, {
      method: "POST",
      body: formFields(),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: inFlight.signal,
    })
      .then(function (response) {
        if (!response.ok) throw new Error("preview " + response.status);
        return response.json();
      })
      .then(function (data) {
        preview.innerHTML = data.html || '<p class="md-editor__empty">Nothing to preview yet.</p>';
        showStats(data.words, data.reading_minutes);
        showChecks(data.checks);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") preview.dataset.stale = "true";
      });
  }

  function schedule() {
    var count = countWords(text.value);
    showStats(count, Math.max(1, Math.ceil(count / WORDS_PER_MINUTE)));
    clearTimeout(timer);
    timer = setTimeout(refresh, PREVIEW_DELAY);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  refresh();

  // The title is one line, typed in a box that grows with it: Enter does not break it.
  var title = form.querySelector("#id_title");
  if (title) {
    title.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  // --- The simulation timeline only shows for simulations -------------------------------

  var kind = form.querySelector("#id_kind");
  var timeline = document.querySelector(".only-for-simulation");
  if (kind && timeline) {
    kind.addEventListener("change", function () {
      timeline.hidden = kind.value !== "simulation";
    });
  }

  window.articleEditor = { form: form, text: text, refresh: refresh, formFields: formFields };
  }
})();
