// The action bar's moves that cannot be undone at once (archive, unpublish): their button
// opens a dialog that says what the move does; only the dialog's own button takes it.

export function startActionBar(bar) {
  if (!bar) return;
  bar.querySelectorAll("[data-confirm]").forEach(function (button) {
    const dialog = document.getElementById(button.dataset.confirm);
    if (!dialog) return;
    button.addEventListener("click", function () {
      dialog.showModal();
      const cancel = dialog.querySelector("[data-confirm-cancel]");
      if (cancel) cancel.focus();
    });
    dialog.querySelectorAll("[data-confirm-cancel]").forEach(function (cancel) {
      cancel.addEventListener("click", function () { dialog.close(); });
    });
  });
}
