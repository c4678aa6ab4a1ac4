// The formatting toolbar and its shortcuts (Ctrl/Cmd + B, I, K). Everything about how a
// button changes the text lives in this file.
//
// A tool never rewrites the textarea's value: it replaces the smallest changed stretch with
// document.execCommand("insertText"), which the browser records as one step of its own undo
// history (so Ctrl+Z gives back the text as it was) and announces with the "input" event
// the rest of the editor listens to. Afterwards the caret or selection is put back on the
// same characters it was on, so the next keystroke lands where the writer expects.

const SHORTCUTS = { b: "bold", i: "italic", k: "link" };

const HEADING = /^#{1,6} /;
const BULLET = /^[-*+] /;
const NUMBER = /^\d+[.)] /;
// What opens a line of Markdown: inline markers go after it, never around it.
const LINE_OPENING = /^(?:\s*(?:#{1,6} |>\s?|[-*+] |\d+[.)] ))*/;

// A line tool: the marker it puts at the start of each line (n counts the lines that get
// one), the marker that shows it is already there (the tool then takes it off), and the
// markers of its kind it replaces rather than stacking on them.
const LINE_TOOLS = {
  heading: { marker: () => "## ", own: /^## /, replaces: HEADING },
  subheading: { marker: () => "### ", own: /^### /, replaces: HEADING },
  // A blank line inside a quotation keeps a bare ">" so the quotation stays one.
  quote: { marker: () => "> ", own: /^> ?/, replaces: null, blank: ">" },
  list: { marker: () => "- ", own: BULLET, replaces: NUMBER },
  numbered: { marker: (n) => n + ". ", own: NUMBER, replaces: BULLET },
};

const FOOTNOTE_PLACEHOLDER = "The note.";

// A small edit: replace `old` with `insert`, both starting at `from`. Narrowed to the part
// that differs, so undo and the caret's mapping only see what the tool changed.
function narrowed(from, old, insert) {
  let head = 0;
  while (head < old.length && head < insert.length && old[head] === insert[head]) head++;
  let tail = 0;
  while (
    tail < old.length - head &&
    tail < insert.length - head &&
    old[old.length - 1 - tail] === insert[insert.length - 1 - tail]
  ) {
    tail++;
  }
  return {
    start: from + head,
    end: from + old.length - tail,
    text: insert.slice(head, insert.length - tail),
  };
}

export function startToolbar(editor, text) {
  // Replaces text[from:to] with `insert` as one undoable step; false if it cannot be done
  // without the browser cutting text to the field's maximum length.
  function replace(from, to, insert) {
    const edit = narrowed(from, text.value.slice(from, to), insert);
    if (edit.start === edit.end && edit.text === "") return true;
    const grown = text.value.length - (edit.end - edit.start) + edit.text.length;
    if (text.maxLength >= 0 && grown > text.maxLength) return false;
    // Setting the selection also ends the browser's current typing step, so the tool is
    // undone on its own, not together with the words typed just before it.
    text.setSelectionRange(edit.start, edit.end);
    const done =
      document.activeElement === text &&
      (edit.text === ""
        ? document.execCommand("delete")
        : document.execCommand("insertText", false, edit.text));
    if (!done) {
      // A browser without execCommand in a textarea: the change still happens, unrecorded.
      text.setRangeText(edit.text, edit.start, edit.end, "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
    return true;
  }

  function lineTool(tool) {
    const value = text.value;
    const start = text.selectionStart;
    const end = text.selectionEnd;
    const from = value.lastIndexOf("\n", start - 1) + 1;
    // A selection that ends at the start of a line (a triple click) leaves that line alone.
    const last = end > start && value[end - 1] === "\n" ? end - 1 : end;
    const lineEnd = value.indexOf("\n", last);
    const to = lineEnd === -1 ? value.length : lineEnd;
    const lines = value.slice(from, to).split("\n");
    const written = lines.filter((line) => line.trim() !== "");
    const takeOff = written.length > 0 && written.every((line) => tool.own.test(line));

    let counted = 0;
    const changes = lines.map(function (line) {
      if (takeOff) return { old: (line.match(tool.own) || [""])[0], now: "" };
      // Blank lines between chosen lines stay blank; a blank line on its own gets a marker.
      if (lines.length > 1 && line.trim() === "") return { old: "", now: tool.blank || "" };
      const other = tool.replaces && line.match(tool.replaces);
      counted += 1;
      return { old: other ? other[0] : "", now: tool.marker(counted) };
    });
    const changed = lines.map((line, i) => changes[i].now + line.slice(changes[i].old.length));
    if (!replace(from, to, changed.join("\n"))) return;

    // Where an offset of the old text is now: shifted by the markers before it.
    function moved(offset) {
      let oldStart = from;
      let shift = 0;
      for (let i = 0; i < lines.length; i++) {
        const oldEnd = oldStart + lines[i].length;
        const { old, now } = changes[i];
        if (offset <= oldEnd) {
          const column = Math.max(offset - oldStart - old.length, 0);
          return oldStart + shift + now.length + column;
        }
        shift += now.length - old.length;
        oldStart = oldEnd + 1;
      }
      return offset + shift;
    }
    text.setSelectionRange(moved(start), moved(end));
  }

  // The chosen words' markers are taken off when the selection sits just inside or just
  // around them. Underscores inside a word are no markers: snake_case keeps them.
  function unwrap(before, after) {
    const value = text.value;
    const start = text.selectionStart;
    const end = text.selectionEnd;
    const inWord = (char) => before === "_" && /\w/.test(char || "");
    const inside =
      value.slice(Math.max(start - before.length, 0), start) === before &&
      value.slice(end, end + after.length) === after;
    const chosen = value.slice(start, end);
    const around =
      chosen.length >= before.length + after.length &&
      chosen.startsWith(before) &&
      chosen.endsWith(after);
    const outer = inside
      ? [start - before.length, end + after.length]
      : around
        ? [start, end]
        : null;
    if (!outer) return false;
    const words = value.slice(outer[0] + before.length, outer[1] - after.length);
    if (words && (inWord(value[outer[0] - 1]) || inWord(value[outer[1]]))) return false;
    if (replace(outer[0], outer[1], words)) {
      text.setSelectionRange(outer[0], outer[0] + words.length);
    }
    return true;
  }

  // The stretches of the selection to wrap: each line's words, without the line's opening
  // markers and the spaces around them, which Markdown wants outside the markers; a link is
  // one stretch.
  function stretches(start, end, oneStretch) {
    const value = text.value;
    const found = [];
    let at = start;
    const pieces = oneStretch ? [value.slice(start, end)] : value.slice(start, end).split("\n");
    for (const piece of pieces) {
      const atLineStart = at === 0 || value[at - 1] === "\n";
      const skip = atLineStart ? piece.match(LINE_OPENING)[0].length : 0;
      const words = piece.slice(skip).trim();
      if (words) {
        const wordsStart = at + skip + piece.slice(skip).indexOf(words);
        found.push([wordsStart, wordsStart + words.length]);
      }
      at += piece.length + 1;
    }
    return found;
  }

  function wrap(before, after, { toggles, oneStretch }) {
    if (toggles && unwrap(before, after)) return;
    const value = text.value;
    const start = text.selectionStart;
    const end = text.selectionEnd;
    const parts = stretches(start, end, oneStretch);
    if (parts.length === 0) {
      // At a caret (or on spaces only): empty markers, the caret between them.
      if (replace(end, end, before + after)) {
        text.setSelectionRange(end + before.length, end + before.length);
      }
      return;
    }
    const from = parts[0][0];
    const to = parts[parts.length - 1][1];
    let wrapped = "";
    let at = from;
    for (const [partStart, partEnd] of parts) {
      wrapped += value.slice(at, partStart) + before + value.slice(partStart, partEnd) + after;
      at = partEnd;
    }
    if (replace(from, to, wrapped)) {
      text.setSelectionRange(from + before.length, from + wrapped.length - after.length);
    }
  }

  function footnote() {
    const value = text.value;
    const at = text.selectionEnd;
    const used = Array.from(value.matchAll(/\[\^(\d+)\]/g), (found) => Number(found[1]));
    const n = used.reduce((highest, number) => Math.max(highest, number), 0) + 1;
    const withReference = value.slice(0, at) + "[^" + n + "]" + value.slice(at);
    const gap = withReference.endsWith("\n\n") ? "" : withReference.endsWith("\n") ? "\n" : "\n\n";
    const result = withReference + gap + "[^" + n + "]: " + FOOTNOTE_PLACEHOLDER;
    if (replace(0, value.length, result)) {
      text.setSelectionRange(result.length - FOOTNOTE_PLACEHOLDER.length, result.length);
    }
  }

  const actions = {
    bold: () => wrap("**", "**", { toggles: true, oneStretch: false }),
    italic: () => wrap("_", "_", { toggles: true, oneStretch: false }),
    // No toggle: taking a link off would throw its address away.
    link: () => wrap("[", "](https://)", { toggles: false, oneStretch: true }),
    footnote: footnote,
  };
  for (const [name, tool] of Object.entries(LINE_TOOLS)) {
    actions[name] = () => lineTool(tool);
  }

  function act(name) {
    text.focus();
    actions[name]();
  }

  editor.querySelectorAll("[data-md]").forEach(function (button) {
    // Pressing a button leaves the focus, and so the selection, in the text.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => act(button.dataset.md));
  });
  text.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const name = SHORTCUTS[event.key.toLowerCase()];
    if (name) {
      event.preventDefault();
      act(name);
    }
  });
}
