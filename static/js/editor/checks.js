// The "Checks before publishing" panel. The page arrives with the server's checks; each
// preview answer brings the checks of the form as it stands, shown here. The panel also
// holds which article the form edits (empty until autosave creates the draft): the checks
// of a saved article look at what the form does not send, such as its image.

export function contentChecks(section) {
  const list = section ? section.querySelector("[data-checks-list]") : null;

  function item(level, message) {
    const line = document.createElement("li");
    line.className = "content-check content-check--" + level;
    line.textContent = message;
    return line;
  }

  return {
    get article() {
      return section ? section.dataset.article : "";
    },
    set article(id) {
      if (section) section.dataset.article = id;
    },
    show(checks) {
      if (!list || !checks) return;
      list.replaceChildren();
      if (!checks.length) list.append(item("ok", "Nothing to fix."));
      checks.forEach(function (check) {
        list.append(item(check.level, check.message));
      });
    },
  };
}
