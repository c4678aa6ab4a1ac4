// The body's choosers: a dialog each (templates/admin/articles/widgets/_choosers.html),
// opened from the toolbar, that find something of ours and put its Markdown at the caret.
// This file holds what they share (opening, searching as one types, inserting as one
// undoable step) and the link chooser; images.js and embeds.js hold the other two.
// The dialogs sit inside the article's form: their fields have no name, and Enter in
// them never submits the article.

const SEARCH_DELAY_MS = 250;

export function csrfToken(form) {
  const field = form && form.querySelector("[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

// The article being edited, if it is saved: a link chooser does not offer it.
function currentArticle() {
  const found = window.location.pathname.match(/\/articles\/article\/(\d+)\//);
  return found ? found[1] : "";
}

// Puts `insert` in place of text[start:end] as one step of the browser's undo history
// (Ctrl+Z takes it back), then the caret after it.
function put(text, start, end, insert) {
  text.focus();
  text.setSelectionRange(start, end);
  if (!document.execCommand("insertText", false, insert)) {
    text.setRangeText(insert, start, end, "end");
    text.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

// A block (a figure, a video) goes in a paragraph of its own at `at`: a blank line before
// and after it unless there is one already.
export function insertBlock(text, at, markdown) {
  const before = text.value.slice(0, at);
  const after = text.value.slice(at);
  const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const trail = after === "" || after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
  put(text, at, at, lead + markdown + trail);
  const caret = at + lead.length + markdown.length + trail.length;
  text.setSelectionRange(caret, caret);
}

export function insertInline(text, start, end, markdown) {
  put(text, start, end, markdown);
  text.setSelectionRange(start + markdown.length, start + markdown.length);
}

// A chooser: its dialog, the selection it will insert at (kept while the dialog has the
// focus), and its opening and closing.
export function chooser(editor, text, name) {
  const dialog = editor.querySelector('dialog[data-chooser="' + name + '"]');
  const state = { dialog: dialog, start: 0, end: 0 };
  if (!dialog) return null;
  state.open = function () {
    state.start = text.selectionStart;
    state.end = text.selectionEnd;
    dialog.showModal();
  };
  state.close = function () {
    dialog.close();
    text.focus();
  };
  dialog.querySelectorAll("[data-chooser-close]").forEach(function (button) {
    button.addEventListener("click", state.close);
  });
  // The dialog is inside the article's form: Enter in a field would submit the article.
  dialog.addEventListener("keydown", function (event) {
    const field = event.target;
    if (event.key === "Enter" && field.tagName === "INPUT") {
      event.preventDefault();
      field.dispatchEvent(new CustomEvent("chooser-enter", { bubbles: true }));
    }
  });
  dialog.addEventListener("close", function () { text.focus(); });
  return state;
}

// Runs `load(words)` a moment after the last keystroke, and at once on Enter; an answer
// that comes after a newer search began is dropped.
export function searchAsTyped(input, load) {
  let timer = null;
  let asked = 0;
  function run() {
    const number = ++asked;
    load(input.value.trim(), () => number === asked);
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, SEARCH_DELAY_MS);
  });
  input.addEventListener("chooser-enter", function () {
    clearTimeout(timer);
    run();
  });
  return run;
}

export async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error("The server answered " + response.status);
  return response.json();
}

export function say(list, message) {
  const item = document.createElement("li");
  item.className = "md-chooser__empty";
  item.textContent = message;
  list.replaceChildren(item);
}

// "Link to an analysis": our articles by title, with their status; the link names the
// article by id (`[words](article:17)`), so it follows a change of slug.
export function startLinkChooser(editor, text) {
  const url = editor.dataset.linkChooserUrl;
  const state = chooser(editor, text, "article");
  const button = editor.querySelector('[data-md-chooser="article"]');
  if (!url || !state || !button) return;
  const search = state.dialog.querySelector("[data-chooser-search]");
  const list = state.dialog.querySelector("[data-chooser-results]");

  function choose(article) {
    const chosen = text.value.slice(state.start, state.end).trim();
    const words = (chosen || article.title).replace(/[[\]]/g, "");
    state.close();
    insertInline(text, state.start, state.end, "[" + words + "](" + article.reference + ")");
  }

  function show(articles) {
    if (!articles.length) {
      say(list, "No article of ours has these words in its title.");
      return;
    }
    list.replaceChildren(
      ...articles.map(function (article) {
        const item = document.createElement("li");
        const pick = document.createElement("button");
        pick.type = "button";
        pick.className = "md-chooser__article";
        const title = document.createElement("span");
        title.className = "md-chooser__article-title";
        title.textContent = article.title;
        const status = document.createElement("span");
        status.className = "md-chooser__status-badge md-chooser__status-badge--" + (article.public ? "public" : "hidden");
        status.textContent = article.public ? article.status_label : article.status_label + " — not public yet";
        pick.append(title, status);
        pick.addEventListener("click", () => choose(article));
        item.append(pick);
        return item;
      }),
    );
  }

  const run = searchAsTyped(search, async function (words, stillWanted) {
    try {
      const params = new URLSearchParams({ q: words, exclude: currentArticle() });
      const answer = await getJson(url + "?" + params);
      if (stillWanted()) show(answer.articles);
    } catch (error) {
      say(list, "The search did not answer; try again in a moment.");
    }
  });

  button.addEventListener("mousedown", (event) => event.preventDefault());
  button.addEventListener("click", function () {
    state.open();
    search.value = "";
    search.focus();
    run();
  });
}
