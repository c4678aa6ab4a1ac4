// Suggested topics and regions: asks the server which tags the title, standfirst and
// text talk about when the page opens and again once typing pauses, shows them as buttons,
// and a click selects the tag in the form's topics or regions field (the admin's
// autocomplete select). Nothing is saved until the editor saves the form.

const FIELD_NAMES = { topic: "topics", region: "regions" };
const KIND_LABELS = { topic: "topic", region: "region" };
const TEXT_FIELDS = ["title", "dek", "body"];
const TYPING_PAUSE = 700;  // ms after the last keystroke

export function startSuggestions(box) {
  if (!box) {
    return;
  }
  const form = box.closest("form") || document.querySelector("form#article_form") || document.querySelector("form");
  const list = box.querySelector(".tag-suggestions__list");
  const empty = box.querySelector(".tag-suggestions__empty");

  function field(name) {
    return form ? form.querySelector('[name="' + name + '"]') : null;
  }

  function chosen(name) {
    const select = field(name);
    if (!select || !select.options) {
      return [];
    }
    return Array.from(select.selectedOptions).map(function (option) { return option.value; });
  }

  function select(suggestion) {
    const target = field(FIELD_NAMES[suggestion.vocabulary]);
    if (!target || !target.options) {
      return false;
    }
    const value = String(suggestion.id);
    let option = Array.from(target.options).find(function (o) { return o.value === value; });
    if (!option) {
      option = new Option(suggestion.name, value, true, true);
      target.appendChild(option);
    }
    option.selected = true;
    // The admin's autocomplete (select2) listens through jQuery; plain selects to the event.
    if (window.django && window.django.jQuery) {
      window.django.jQuery(target).trigger("change");
    } else {
      target.dispatchEvent(new Event("change", { bubbles: true }));
    }
    return true;
  }

  function button(suggestion) {
    const item = document.createElement("li");
    const add = document.createElement("button");
    add.type = "button";
    add.className = "tag-suggestions__add" + (suggestion.strong ? " tag-suggestions__add--strong" : "");
    add.setAttribute("aria-pressed", "false");
    add.title = "Seen: " + suggestion.words.join(", ");
    const name = document.createElement("span");
    name.className = "tag-suggestions__name";
    name.textContent = "+ " + suggestion.name;
    const kind = document.createElement("span");
    kind.className = "tag-suggestions__kind";
    kind.textContent = KIND_LABELS[suggestion.vocabulary];
    add.append(name, kind);
    add.addEventListener("click", function () {
      if (add.getAttribute("aria-pressed") === "true") {
        return;
      }
      if (select(suggestion)) {
        add.setAttribute("aria-pressed", "true");
        name.textContent = "✓ " + suggestion.name;
      }
    });
    item.appendChild(add);
    return item;
  }

  function show(suggestions) {
    list.replaceChildren(...suggestions.map(button));
    empty.hidden = suggestions.length > 0;
    box.hidden = false;
  }

  let asked = null;  // the request on its way, cancelled by a newer one
  let pause = null;

  function ask() {
    const data = new FormData();
    TEXT_FIELDS.forEach(function (name) {
      const input = field(name);
      data.append(name, input ? input.value : "");
    });
    chosen("topics").forEach(function (id) { data.append("topics", id); });
    chosen("regions").forEach(function (id) { data.append("regions", id); });
    const token = field("csrfmiddlewaretoken");
    if (asked) asked.abort();
    const request = asked = new AbortController();
    fetch(box.dataset.suggestionsUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      signal: request.signal,
      headers: { "X-CSRFToken": token ? token.value : "", Accept: "application/json" },
    })
      .then(function (response) { return response.json(); })
      .then(function (payload) {
        if (payload.suggestions && asked === request) {
          show(payload.suggestions);
        }
      })
      .catch(function () { /* cancelled, or offline: suggestions are a help, not a step */ });
  }

  function askOncePaused() {
    clearTimeout(pause);
    pause = setTimeout(ask, TYPING_PAUSE);
  }

  TEXT_FIELDS.forEach(function (name) {
    const input = field(name);
    if (input) input.addEventListener("input", askOncePaused);
  });
  ask();
}
