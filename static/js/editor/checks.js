// The "Checks before publishing" panel and its short state in the action bar. The page
// arrives with the server's checks (the list publishing enforces); each preview answer
// brings the checks of the form as it stands, shown here. The panel also
// holds which article the form edits (empty until autosave creates the draft): the checks
// of a saved article look at what the form does not send, such as its image.

export function contentChecks(section) {
  const list = section ? section.querySelector("[data-checks-list]") : null;
  // The action bar's short state of the same list.
  const summary = document.querySelector("[data-checks-summary]");

  function summarize(checks) {
    if (!summary) return;
    const errors = checks.filter(function (check) { return check.level === "error"; }).length;
    const warnings = checks.length - errors;
    summary.dataset.state = errors ? "error" : warnings ? "warning" : "ok";
    if (errors) {
      summary.textContent = errors + " to fix before publishing";
    } else if (warnings) {
      summary.textContent = "Checks pass · " + warnings + (warnings === 1 ? " warning" : " warnings");
    } else {
      summary.textContent = "Checks pass";
    }
  }

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
      summarize(checks);
    },
  };
}
