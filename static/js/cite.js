// "Cite this": a copy button per reference. Without JavaScript the buttons stay hidden and
// the references are plain selectable text.
(function () {
  "use strict";
  if (!navigator.clipboard) return;
  var status = document.querySelector(".cite__status");
  document.querySelectorAll(".cite__copy[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { if (status) status.textContent = "Citation copied."; },
        function () { if (status) status.textContent = "Copying failed: select the text instead."; }
      );
    });
  });
})();
