// Pasting formatted text into the body (from Word, Google Docs, a web page). The
// clipboard's HTML goes to the server, which makes it Markdown with the archive importer's
// converter; the Markdown goes where the text was to go, with document.execCommand
// ("insertText"), so that Ctrl+Z takes the whole paste back in one step. Plain text is left
// to the browser; if the HTML cannot be converted, its plain text is pasted instead and the
// writer is told why.

// The server's own cap (articles/importer/clipboard.py); a larger clipboard is not sent.
const CLIPBOARD_MAX_CHARS = 1000000;

function csrfToken(form) {
  const field = form && form.querySelector("[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

// The highest footnote number the text uses, so that pasted notes follow on.
function lastFootnote(value) {
  let highest = 0;
  for (const found of value.matchAll(/\[\^(\d+)\]/g)) highest = Math.max(highest, Number(found[1]));
  return highest;
}

// Blocks (several lines) are set apart from the text around them by a blank line; a
// stretch of words pasted inside a line stays inside it.
function spaced(before, markdown, after) {
  if (!markdown.includes("\n")) return { lead: "", body: markdown, trail: "" };
  const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const trail = after === "" || after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
  return { lead: lead, body: markdown.replace(/\n+$/, ""), trail: trail };
}

export function startPaste(editor, text) {
  const url = editor.dataset.pasteUrl;
  if (!url) return;
  const form = text.closest("form");
  const note = document.createElement("p");
  note.className = "md-editor__paste-note";
  note.setAttribute("role", "status");
  note.hidden = true;
  editor.querySelector(".md-editor__toolbar").after(note);

  function tell(message) {
    note.textContent = message;
    note.hidden = !message;
  }

  // Puts `insert` in place of text[start:end] as one step of the undo history.
  function put(start, end, insert) {
    text.focus();
    text.setSelectionRange(start, end);
    if (!document.execCommand("insertText", false, insert)) {
      text.setRangeText(insert, start, end, "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function fits(start, end, insert) {
    const grown = text.value.length - (end - start) + insert.length;
    return text.maxLength < 0 || grown <= text.maxLength;
  }

  text.addEventListener("paste", function (event) {
    const clipboard = event.clipboardData;
    const html = clipboard ? clipboard.getData("text/html") : "";
    if (!html) return; // plain text: the browser pastes it as it is
    // A picture alone (a screenshot, no HTML) is for images.js; a picture copied from a page
    // comes with its HTML and is counted here among the pictures left out.
    event.preventDefault();
    const plain = clipboard.getData("text/plain");
    const value = text.value;
    const start = text.selectionStart;
    const end = text.selectionEnd;

    function pastePlain(reason) {
      if (fits(start, end, plain)) put(start, end, plain);
      tell(reason + " It was pasted as plain text.");
    }

    if (html.length > CLIPBOARD_MAX_CHARS) {
      pastePlain("The pasted text is too long to keep its formatting.");
      return;
    }
    const data = new FormData();
    data.append("html", html);
    data.append("next_footnote", String(lastFootnote(value) + 1));
    text.setAttribute("aria-busy", "true");
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("The formatting could not be read (" + response.status + ").");
        return response.json();
      })
      .then(function (answer) {
        if (answer.error) throw new Error(answer.error);
        if (!answer.markdown.trim()) {
          tell(answer.notice || "Nothing was pasted: the copied text holds no words.");
          return;
        }
        // Someone typed while the server worked: paste where the caret is now.
        const unchanged = text.value === value;
        const from = unchanged ? start : text.selectionStart;
        const to = unchanged ? end : text.selectionEnd;
        const parts = spaced(text.value.slice(0, from), answer.markdown, text.value.slice(to));
        const insert = parts.lead + parts.body + parts.trail;
        if (!fits(from, to, insert)) {
          tell("Not pasted: the body would be longer than " + text.maxLength.toLocaleString() + " characters.");
          return;
        }
        put(from, to, insert);
        const caret = from + parts.lead.length + parts.body.length;
        text.setSelectionRange(caret, caret);
        tell(answer.notice || "");
      })
      .catch(function (error) {
        pastePlain(error.message);
      })
      .finally(function () {
        text.removeAttribute("aria-busy");
      });
  });
}
