// The live preview. A moment after each change the form is sent to the server, which
// answers with the body rendered by the site's own Markdown pipeline (the HTML readers
// will get), the word count, the reading time and the content checks. Until it answers,
// words and minutes are counted here, so the numbers follow the typing.

const WORDS_PER_MINUTE = 220;
const PREVIEW_DELAY = 400;

function countWords(value) {
  const found = value.replace(/[#>*_`\[\]()\-]/g, " ").match(/\w+(?:['\u2019-]\w+)*/g);
  return found ? found.length : 0;
}

export function startPreview({ editor, form, text, checks }) {
  const preview = editor.querySelector("[data-md-preview]");
  const words = editor.querySelector("[data-md-words]");
  const minutes = editor.querySelector("[data-md-minutes]");
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
        checks.show(data.checks);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") preview.dataset.stale = "true";
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
  refresh();
}
