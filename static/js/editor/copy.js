// "Copy link" buttons: put the address in the clipboard and say so. Where the clipboard
// API is refused (an address that is not https, an old browser), the address is selected
// for the person to copy with Ctrl+C, and the button says that instead.

function selectText(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

export function startCopyButtons(root) {
  root.querySelectorAll("[data-copy]").forEach(function (button) {
    const box = button.closest(".copy-link");
    const done = box ? box.querySelector(".copy-link__done") : null;
    const source = box ? box.querySelector("[data-copy-source]") : null;
    function say(message) { if (done) done.textContent = message; }
    button.addEventListener("click", function () {
      const address = button.dataset.copy;
      const fallback = function () {
        if (source) selectText(source);
        say("Selected: press Ctrl+C (⌘C) to copy.");
      };
      if (!navigator.clipboard || !window.isSecureContext) {
        fallback();
        return;
      }
      navigator.clipboard.writeText(address).then(function () { say("Copied."); }, fallback);
    });
  });
}
