// The copy of the text this browser keeps (localStorage) until the server has it, and the
// offer to bring it back when the page opens without it. Storage may be full or switched
// off: then only the server copy works, and nothing here stops the editor.

export function browserCopy(key) {
  return {
    keep(values) {
      try {
        localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: values }));
      } catch (error) { /* storage full or off: the server copy still works */ }
    },
    forget() {
      try { localStorage.removeItem(key); } catch (error) { /* nothing kept */ }
    },
    read() {
      try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { return null; }
    },
    // A new article got its number: its copy is kept under the article's own key.
    moveTo(newKey) {
      this.forget();
      key = newKey;
    },
  };
}

// Text this browser kept that the page does not show: offer it back.
export function offerKeptText(box, copy, { shown, restore }) {
  const kept = copy.read();
  if (!kept || !kept.values || JSON.stringify(kept.values) === JSON.stringify(shown())) return;
  const offer = box.querySelector("[data-autosave-restore]");
  box.querySelector("[data-autosave-restore-when]").textContent =
    "on " + new Date(kept.at).toLocaleString();
  offer.hidden = false;
  box.querySelector("[data-autosave-restore-yes]").addEventListener("click", function () {
    offer.hidden = true;
    restore(kept.values);
  });
  box.querySelector("[data-autosave-restore-no]").addEventListener("click", function () {
    copy.forget();
    offer.hidden = true;
  });
}
