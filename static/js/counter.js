// Under each text box with a length cap: how many characters are used of how many allowed.
// The browser stops typing at the cap (maxlength); the server refuses more and says so.
(function () {
  "use strict";

  var number = new Intl.NumberFormat("en");

  function attach(box) {
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
      counter.textContent = number.format(used) + " of " + number.format(limit) + " characters";
      var near = used >= limit * 0.9;
      counter.classList.toggle("counter--near", near);
      // Announced only near the cap, not at every key.
      if (near) counter.setAttribute("aria-live", "polite");
      else counter.removeAttribute("aria-live");
    }

    box.addEventListener("input", update);
    update();
  }

  function attachAll(root) {
    root.querySelectorAll("textarea[maxlength]").forEach(attach);
  }

  document.querySelectorAll("form").forEach(function (form) {
    attachAll(form);
    // Moves added with "Add a move" get their counters too.
    new MutationObserver(function () { attachAll(form); }).observe(form, { childList: true, subtree: true });
  });
})();
