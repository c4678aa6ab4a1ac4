// The formatting toolbar and its shortcuts (Ctrl/Cmd + B, I, K). Everything about how a
// button changes the text lives in this file: the rest of the editor only hears the
// "input" event it sends afterwards, as if the text had been typed.

const SHORTCUTS = { b: "bold", i: "italic", k: "link" };

export function startToolbar(editor, text) {
  function surround(before, after, placeholder) {
    const start = text.selectionStart;
    const end = text.selectionEnd;
    const chosen = text.value.slice(start, end) || placeholder;
    text.setRangeText(before + chosen + after, start, end, "end");
    text.setSelectionRange(start + before.length, start + before.length + chosen.length);
  }

  function prefixLines(prefix) {
    const value = text.value;
    const start = value.lastIndexOf("\n", text.selectionStart - 1) + 1;
    const end = text.selectionEnd;
    const lines = value.slice(start, end).split("\n");
    const changed = lines
      .map(function (line, i) {
        return (typeof prefix === "function" ? prefix(i) : prefix) + line;
      })
      .join("\n");
    text.setRangeText(changed, start, end, "select");
  }

  const actions = {
    bold: function () { surround("**", "**", "bold text"); },
    italic: function () { surround("_", "_", "italic text"); },
    heading: function () { prefixLines("## "); },
    subheading: function () { prefixLines("### "); },
    link: function () { surround("[", "](https://)", "link text"); },
    quote: function () { prefixLines("> "); },
    list: function () { prefixLines("- "); },
    numbered: function () { prefixLines(function (i) { return i + 1 + ". "; }); },
    footnote: function () {
      const n = (text.value.match(/\[\^\d+\]:/g) || []).length + 1;
      const at = text.selectionEnd;
      text.setRangeText("[^" + n + "]", at, at, "end");
      text.value += "\n\n[^" + n + "]: The note.";
    },
  };

  function act(name) {
    text.focus();
    actions[name]();
    text.dispatchEvent(new Event("input", { bubbles: true }));
  }

  editor.querySelectorAll("[data-md]").forEach(function (button) {
    button.addEventListener("click", function () { act(button.dataset.md); });
  });
  text.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey)) return;
    const name = SHORTCUTS[event.key.toLowerCase()];
    if (name) {
      event.preventDefault();
      act(name);
    }
  });
}
