// Under each text box with a length cap: how many characters are used of how many allowed.
// The browser stops typing at the cap (maxlength); the server refuses more and says so.
// The words come from the page, in its language: the form's data-counter-text, with {used}
// and {limit} where the figures go ("15 of 1,500 characters", "Знаков: 15 из 1 500").
(function () {
  "use strict";

  // Figures grouped as the server groups them on the same page (the form's
  // data-counter-group: "," in English, a no-break space in Russian, nothing where the
  // language does not group), in Latin digits. Not Intl.NumberFormat: the browser knows no
  // Armenian or Georgian number format and would write "1,500" beside the help's "1500".
  function figure(number, group) {
    var digits = String(number);
    return group ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, group) : digits;
  }

  function attach(box, words, group) {
    var limit = parseInt(box.getAttribute("maxlength"), 10);
    if (!limit || box.dataset.counted) return;
    box.dataset.counted = "true";
    var counter = document.createElement("p");
    counter.className = "counter";
    counter.id = box.id + "_count";
    box.after(counter);
    var described = box.getAttribute("aria-describedby");
    box.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);

    function update() {
      // The same count as maxlength: a line break is one character.
      var used = box.value.length;
      counter.textContent = words
        .replace("{used}", figure(used, group))
        .replace("{limit}", figure(limit, group));
      var near = used >= limit * 0.9;
      counter.classList.toggle("counter--near", near);
      // Announced only near the cap, not at every key.
      if (near) counter.setAttribute("aria-live", "polite");
      else counter.removeAttribute("aria-live");
    }

    box.addEventListener("input", update);
    update();
  }

  function attachAll(form, words, group) {
    form.querySelectorAll("textarea[maxlength]").forEach(function (box) { attach(box, words, group); });
  }

  document.querySelectorAll("form[data-counter-text]").forEach(function (form) {
    var words = form.dataset.counterText;
    var group = form.dataset.counterGroup || "";
    attachAll(form, words, group);
    // Moves added with "Add a move" get their counters too.
    new MutationObserver(function () { attachAll(form, words, group); }).observe(form, { childList: true, subtree: true });
  });
})();
