// Autosave. The server keeps the text of a draft a few seconds after typing stops; this
// browser keeps it too (browser-copy.js) in case the server cannot be reached or the tab
// closes first. A save made elsewhere in between (someone else, or this person's other tab)
// is never overwritten without showing both versions and asking (conflict.js); that holds
// for Save too, when the form comes back refused because of it.

import { browserCopy, offerKeptText } from "./browser-copy.js";
import { showConflict } from "./conflict.js";

const AUTOSAVE_IDLE = 3000;
const TEXT_FIELDS = ["title", "dek", "body"];

export function startAutosave({ box, form, text, onCreated, conflictUrl, currentVersion }) {
  const statusLine = box.querySelector("[data-autosave-status]");
  const conflictBox = box.querySelector("[data-autosave-conflict]");
  const version = form.querySelector("#id_opened_version");
  const copy = browserCopy(box.dataset.storageKey);
  let url = box.dataset.autosaveUrl;
  let savedAt = null;
  let saving = false;
  let blocked = false;
  let idle = null;

  function field(name) { return form.querySelector("#id_" + name); }
  function values() {
    const out = {};
    TEXT_FIELDS.forEach(function (name) { if (field(name)) out[name] = field(name).value; });
    return out;
  }
  let lastSaved = JSON.stringify(values());

  function say(message, state) {
    statusLine.textContent = message;
    statusLine.dataset.state = state || "";
  }

  function ago() {
    if (!savedAt) return;
    const seconds = Math.max(0, Math.round((Date.now() - savedAt) / 1000));
    const since = seconds < 60 ? seconds + " s ago" : Math.round(seconds / 60) + " min ago";
    if (!saving && !blocked && JSON.stringify(values()) === lastSaved) say("Saved " + since, "saved");
  }
  setInterval(ago, 1000);

  let keepingMine = false;  // the next save keeps this version over a newer one, knowingly

  function request(now) {
    const data = new FormData();
    if (keepingMine) data.append("keep_mine", "1");
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    Object.keys(now).forEach(function (name) { data.append(name, now[name]); });
    data.append("opened_version", version ? version.value : "");
    ["slug", "kind"].forEach(function (name) {
      if (field(name)) data.append(name, field(name).value);
    });
    return data;
  }

  function save(options) {
    if (!url || blocked || saving) return;
    const now = values();
    if (JSON.stringify(now) === lastSaved) return;
    saving = true;
    say("Saving…", "saving");
    fetch(url, {
      method: "POST",
      body: request(now),
      credentials: "same-origin",
      keepalive: !!(options && options.leaving),
    })
      .then(function (response) {
        return response.json().then(function (json) { return [response.status, json]; });
      })
      .then(function ([status, json]) {
        saving = false;
        keepingMine = false;
        if (status === 200 && json.saved) {
          saved(now, json);
        } else if (json.conflict) {
          conflicted(json.conflict);
        } else {
          say(json.error || "Not saved.", "error");
        }
      })
      .catch(function () {
        saving = false;
        say("Not saved: the server cannot be reached. Your text is kept in this browser.", "error");
      });
  }

  function saved(now, json) {
    lastSaved = JSON.stringify(now);
    if (version) version.value = json.lock_version;
    savedAt = Date.now();
    if (url !== json.autosave_url) becameSaved(json);
    if (JSON.stringify(values()) === lastSaved) copy.forget();
    ago();
    if (JSON.stringify(values()) !== lastSaved) later();
  }

  function becameSaved(json) {
    // A new article now exists as a draft: this page becomes its page.
    url = json.autosave_url;
    copy.moveTo("newsroom:article:" + json.article);
    history.replaceState(null, "", json.change_url);
    form.setAttribute("action", json.change_url);
    onCreated(json.article);
  }

  function later() {
    clearTimeout(idle);
    idle = setTimeout(save, AUTOSAVE_IDLE);
  }

  function conflicted(conflict) {
    blocked = true;
    say(conflict.own
      ? "Not saved: you saved this article in another tab after this page was opened."
      : "Not saved: " + conflict.by + " saved this article after you opened it.", "error");
    showConflict(conflictBox, conflict, {
      keepMine: function () {
        if (version) version.value = conflict.lock_version;
        blocked = false;
        lastSaved = "";
        keepingMine = true;
        save();
      },
    });
    copy.keep(values());
  }

  // Save was refused because the article was saved elsewhere meanwhile: the form is back
  // with the text typed here; show both versions, and "keep mine" saves this form again
  // over the newer version.
  function refusedAsStale() {
    if (!conflictUrl || !version || !currentVersion || version.value === currentVersion) return;
    const data = request(values());
    fetch(conflictUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (json) {
        if (!json.conflict) return;
        blocked = true;
        showConflict(conflictBox, json.conflict, {
          keepMine: function () {
            version.value = json.conflict.lock_version;
            const again = form.querySelector("[name=_continue]") || form.querySelector("[type=submit]");
            form.requestSubmit(again);
          },
        });
      })
      .catch(function () { /* the form's own message still says what happened */ });
  }

  TEXT_FIELDS.forEach(function (name) {
    const input = field(name);
    if (!input) return;
    input.addEventListener("input", function () {
      copy.keep(values());
      if (!blocked) say(url ? "Unsaved changes…" : "Unsaved changes (kept in this browser until you press Save)", "dirty");
      later();
    });
  });
  let submitting = false;
  form.addEventListener("submit", function () {
    submitting = true;  // the form carries the text; no autosave races it
    clearTimeout(idle);
    copy.forget();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !submitting) save({ leaving: true });
  });

  refusedAsStale();
  offerKeptText(box, copy, {
    shown: values,
    restore: function (kept) {
      Object.keys(kept).forEach(function (name) {
        if (field(name)) field(name).value = kept[name];
      });
      text.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
}
