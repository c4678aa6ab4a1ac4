// The submission form: add and remove moves, and preview the scenario's Markdown.
// Without JavaScript the form still works: one move row, and the DELETE boxes.
(function () {
  "use strict";

  function renumber(container) {
    container.querySelectorAll("[data-move]:not([hidden]) [data-move-number]").forEach(function (el, i) {
      el.textContent = String(i + 1);
    });
  }

  function setUpMoves(form) {
    var container = form.querySelector("[data-moves]");
    var template = form.querySelector("template[data-move-template]");
    var total = form.querySelector("input[name='moves-TOTAL_FORMS']");
    var add = form.querySelector("[data-add-move]");
    if (!container || !template || !total || !add) return;

    container.querySelectorAll(".move__delete").forEach(hideDeleteBox);

    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var row = container.lastElementChild;
      hideDeleteBox(row.querySelector(".move__delete"));
      renumber(container);
      var first = row.querySelector("input, textarea");
      if (first) first.focus();
    });
  }

  // Replace the "Remove this move" checkbox with a button that ticks it and hides the row.
  function hideDeleteBox(label) {
    if (!label) return;
    var box = label.querySelector("input[type=checkbox]");
    var row = label.closest("[data-move]");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.textContent = "Remove this move";
    button.addEventListener("click", function () {
      box.checked = true;
      row.hidden = true;
      renumber(row.parentElement);
    });
    label.hidden = true;
    label.after(button);
  }

  function setUpPreview(form) {
    var button = form.querySelector("[data-preview-button]");
    var target = form.querySelector("[data-preview]");
    var source = form.querySelector("textarea[name='scenario']");
    var token = form.querySelector("input[name='csrfmiddlewaretoken']");
    if (!button || !target || !source || !token) return;
    button.addEventListener("click", function () {
      var body = new URLSearchParams({ scenario: source.value });
      fetch(button.dataset.previewUrl, {
        method: "POST",
        headers: { "X-CSRFToken": token.value, "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
        credentials: "same-origin",
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          target.hidden = false;
          if (data.error) { target.textContent = data.error; return; }
          // The server sanitized this HTML with the same allow-list as published articles.
          target.innerHTML = data.html || "<p><em>Nothing to preview yet.</em></p>";
        })
        .catch(function () {
          target.hidden = false;
          target.textContent = "The preview is not available right now; your text is safe.";
        });
    });
  }

  document.querySelectorAll("form.submission-form").forEach(function (form) {
    setUpMoves(form);
    setUpPreview(form);
  });
})();
