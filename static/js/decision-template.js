// Moderation: choosing a message template puts its text in the message box, to read and edit.
// Without JavaScript the next step (the confirmation page) shows the template's text instead.
(function () {
  "use strict";

  function setUp(select) {
    var box = document.getElementById(select.getAttribute("data-fills"));
    if (!box) return;
    var filled = "";
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var body = option ? option.getAttribute("data-body") || "" : "";
      var untouched = box.value.trim() === "" || box.value === filled;
      if (!untouched && !window.confirm("Replace the message you wrote with this template?")) {
        return;
      }
      box.value = body;
      filled = body;
      box.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-fills]").forEach(setUp);
  });
})();
