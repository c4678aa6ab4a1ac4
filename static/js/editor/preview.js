// The live preview. A moment after each change the form is sent to the server, which
// answers with the article as readers will see it — the article page's own column
// (title, standfirst, byline, report box, body…) rendered by the site's templates — the
// word count, the reading time and the content checks. The page is shown in a frame that
// carries the site's stylesheet, so the preview has the site's typography, not the
// admin's. Until the server answers, words and minutes are counted here, so the numbers
// follow the typing. The frame follows the text: scrolling the text scrolls the preview
// to the same place, proportionally.

const WORDS_PER_MINUTE = 220;
const PREVIEW_DELAY = 400;

function countWords(value) {
  const found = value.replace(/[#>*_`\[\]()\-]/g, " ").match(/\w+(?:['\u2019-]\w+)*/g);
  return found ? found.length : 0;
}

// The frame's document, once its stylesheet has loaded (srcdoc frames load on their own).
function frameReady(frame) {
  return new Promise(function (resolve) {
    const doc = frame.contentDocument;
    if (doc && doc.readyState === "complete" && doc.querySelector("main")) {
      resolve(doc);
      return;
    }
    frame.addEventListener("load", function () { resolve(frame.contentDocument); }, { once: true });
  });
}

export function startPreview({ editor, form, text, checks }) {
  const frame = editor.querySelector("[data-md-preview]");
  const words = editor.querySelector("[data-md-words]");
  const minutes = editor.querySelector("[data-md-minutes]");
  const ready = frameReady(frame);
  let timer = null;
  let inFlight = null;

  function showStats(count, mins) {
    words.textContent = count.toLocaleString();
    minutes.textContent = mins;
  }

  function formFields() {
    // Everything the form would send except chosen files (the checks only need to know
    // that a new image was chosen) and the workflow buttons.
    const data = new FormData(form);
    let chosenImage = false;
    Array.from(data.entries()).forEach(function (entry) {
      if (entry[1] instanceof File) {
        if (entry[1].name) chosenImage = true;
        data.delete(entry[0]);
      }
    });
    if (chosenImage) data.append("_new_image", "1");
    if (checks.article) data.append("_article", checks.article);
    data.delete("_transition");
    data.delete("_feature");
    return data;
  }

  // Where the text is scrolled to, from 0 (top) to 1 (bottom).
  function textPosition() {
    const room = text.scrollHeight - text.clientHeight;
    return room > 0 ? text.scrollTop / room : 0;
  }

  function follow() {
    const view = frame.contentWindow;
    const doc = frame.contentDocument;
    if (!view || !doc || !doc.documentElement) return;
    const room = doc.documentElement.scrollHeight - view.innerHeight;
    view.scrollTo(0, Math.max(0, Math.round(textPosition() * room)));
  }

  function show(page) {
    ready.then(function (doc) {
      const main = doc.querySelector("main");
      main.innerHTML = page;  // rendered and sanitized by the server, shown where no script runs
      follow();
    });
  }

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
        delete frame.dataset.stale;
        show(data.page);
        showStats(data.words, data.reading_minutes);
        checks.show(data.checks);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") frame.dataset.stale = "true";
      });
  }

  function schedule() {
    const count = countWords(text.value);
    showStats(count, Math.max(1, Math.ceil(count / WORDS_PER_MINUTE)));
    clearTimeout(timer);
    timer = setTimeout(refresh, PREVIEW_DELAY);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  text.addEventListener("scroll", function () { window.requestAnimationFrame(follow); }, { passive: true });
  refresh();
}
