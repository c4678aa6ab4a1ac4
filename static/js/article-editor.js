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


    // --- Autosave ------------------------------------------------------------------------------
    // The server keeps the text of a draft a few seconds after typing stops; this browser
    // keeps it too (localStorage) in case the server cannot be reached or the tab closes
    // first. A save someone else made in between is never overwritten without asking.

    var AUTOSAVE_IDLE = 3000;
    var box = document.querySelector("[data-autosave]");
    if (box) autosave(box);

    function autosave(box) {
      var statusLine = box.querySelector("[data-autosave-status]");
      var conflictBox = box.querySelector("[data-autosave-conflict]");
      var url = box.dataset.autosaveUrl;
      var key = box.dataset.storageKey;
      var version = form.querySelector("#id_opened_version");
      var names = ["title", "dek", "body"];
      var savedAt = null;
      var saving = false;
      var blocked = false;
      var idle = null;

      function field(name) { return form.querySelector("#id_" + name); }
      function values() {
        var out = {};
        names.forEach(function (name) { if (field(name)) out[name] = field(name).value; });
        return out;
      }
      var lastSaved = JSON.stringify(values());

      function say(message, state) {
        statusLine.textContent = message;
        statusLine.dataset.state = state || "";
      }

      function ago() {
        if (!savedAt) return;
        var seconds = Math.max(0, Math.round((Date.now() - savedAt) / 1000));
        var text = seconds < 60 ? seconds + " s ago" : Math.round(seconds / 60) + " min ago";
        if (!saving && !blocked && JSON.stringify(values()) === lastSaved) say("Saved " + text, "saved");
      }
      setInterval(ago, 1000);

      function keepLocally() {
        try {
          localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: values() }));
        } catch (error) { /* storage full or off: the server copy still works */ }
      }
      function forgetLocally() {
        try { localStorage.removeItem(key); } catch (error) { /* nothing kept */ }
      }

      function save(options) {
        if (!url || blocked || saving) return;
        var now = values();
        if (JSON.stringify(now) === lastSaved) return;
        saving = true;
        say("Saving…", "saving");
        var data = new FormData();
        data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
        Object.keys(now).forEach(function (name) { data.append(name, now[name]); });
        data.append("opened_version", version ? version.value : "");
        ["slug", "kind"].forEach(function (name) {
          if (field(name)) data.append(name, field(name).value);
        });
        fetch(url, {
          method: "POST",
          body: data,
          credentials: "same-origin",
          keepalive: !!(options && options.leaving),
        })
          .then(function (response) {
            return response.json().then(function (json) { return [response.status, json]; });
          })
          .then(function (result) {
            saving = false;
            var status = result[0];
            var json = result[1];
            if (status === 200 && json.saved) {
              lastSaved = JSON.stringify(now);
              if (version) version.value = json.lock_version;
              savedAt = Date.now();
              if (url !== json.autosave_url) becameSaved(json);
              if (JSON.stringify(values()) === lastSaved) forgetLocally();
              ago();
              if (JSON.stringify(values()) !== lastSaved) later();
            } else if (json.conflict) {
              showConflict(json.conflict);
            } else {
              say(json.error || "Not saved.", "error");
            }
          })
          .catch(function () {
            saving = false;
            say("Not saved: the server cannot be reached. Your text is kept in this browser.", "error");
          });
      }

      function becameSaved(json) {
        // A new article now exists as a draft: this page becomes its page.
        url = json.autosave_url;
        var oldKey = key;
        key = "newsroom:article:" + json.article;
        try { localStorage.removeItem(oldKey); } catch (error) { /* nothing kept */ }
        history.replaceState(null, "", json.change_url);
        form.setAttribute("action", json.change_url);
        var checks = document.querySelector("[data-checks]");
        if (checks) checks.dataset.article = json.article;
      }

      function later() {
        clearTimeout(idle);
        idle = setTimeout(save, AUTOSAVE_IDLE);
      }

      function showConflict(json) {
        blocked = true;
        say("Not saved: " + json.by + " saved this article after you opened it.", "error");
        conflictBox.replaceChildren();
        var heading = document.createElement("h2");
        heading.textContent = "Someone else saved this article";
        var intro = document.createElement("p");
        intro.textContent = json.error;
        conflictBox.append(heading, intro);
        json.fields.forEach(function (item) {
          var title = document.createElement("h3");
          title.textContent = item.label;
          var columns = document.createElement("div");
          columns.className = "autosave__versions";
          [["Their version (" + json.by + ")", item.theirs], ["Your version (in the editor)", item.yours]]
            .forEach(function (pair) {
              var column = document.createElement("div");
              var label = document.createElement("p");
              label.className = "autosave__label";
              label.textContent = pair[0];
              var text = document.createElement("pre");
              text.className = "autosave__text";
              text.textContent = pair[1];
              column.append(label, text);
              columns.append(column);
            });
          var diff = document.createElement("div");
          diff.className = "diff__text autosave__diff";
          diff.innerHTML = item.diff_html;  // escaped by the server: only <del> and <ins>
          conflictBox.append(title, columns, diff);
        });
        var keep = document.createElement("button");
        keep.type = "button";
        keep.className = "button";
        keep.textContent = "Save mine over theirs";
        keep.addEventListener("click", function () {
          if (version) version.value = json.lock_version;
          blocked = false;
          conflictBox.hidden = true;
          lastSaved = "";
          save();
        });
        var reload = document.createElement("a");
        reload.className = "button";
        reload.href = location.pathname;
        reload.textContent = "Open their version (yours stays in this browser)";
        conflictBox.append(keep, document.createTextNode(" "), reload);
        conflictBox.hidden = false;
        keepLocally();
      }

      names.forEach(function (name) {
        var input = field(name);
        if (!input) return;
        input.addEventListener("input", function () {
          keepLocally();
          if (!blocked) say(url ? "Unsaved changes…" : "Unsaved changes (kept in this browser until you press Save)", "dirty");
          later();
        });
      });
      var submitting = false;
      form.addEventListener("submit", function () {
        submitting = true;  // the form carries the text; no autosave races it
        clearTimeout(idle);
        forgetLocally();
      });
      document.addEventListener("visibilitychange", function () {
        if (document.visibilityState === "hidden" && !submitting) save({ leaving: true });
      });

      // Text this browser kept that the page does not show: offer it back.
      var kept = null;
      try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { kept = null; }
      if (kept && kept.values && JSON.stringify(kept.values) !== JSON.stringify(values())) {
        var offer = box.querySelector("[data-autosave-restore]");
        box.querySelector("[data-autosave-restore-when]").textContent =
          "on " + new Date(kept.at).toLocaleString();
        offer.hidden = false;
        box.querySelector("[data-autosave-restore-yes]").addEventListener("click", function () {
          Object.keys(kept.values).forEach(function (name) {
            if (field(name)) field(name).value = kept.values[name];
          });
          offer.hidden = true;
          text.dispatchEvent(new Event("input", { bubbles: true }));
        });
        box.querySelector("[data-autosave-restore-no]").addEventListener("click", function () {
          forgetLocally();
          offer.hidden = true;
        });
      }
    }

    window.articleEditor = { form: form, text: text, refresh: refresh, formFields: formFields };
  }
})();
