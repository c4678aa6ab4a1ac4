// What the editor shows when the article was saved elsewhere after this page was opened —
// by someone else, or by the same person in another tab, and it says which: for each field
// that differs, the other version and this one side by side with the server's word diff,
// then two ways on: keep the version in this page (saved over the other as a new revision,
// so both stay in the history), or open the other one (this one stays in this browser).

function versions(conflict, item) {
  const columns = document.createElement("div");
  columns.className = "autosave__versions";
  [
    [conflict.own ? "Saved in your other tab" : "Their version (" + conflict.by + ")", item.theirs],
    [conflict.own ? "This tab’s version" : "Your version (in the editor)", item.yours],
  ].forEach(function (pair) {
    const column = document.createElement("div");
    const label = document.createElement("p");
    label.className = "autosave__label";
    label.textContent = pair[0];
    const text = document.createElement("pre");
    text.className = "autosave__text";
    text.textContent = pair[1];
    column.append(label, text);
    columns.append(column);
  });
  return columns;
}

export function showConflict(conflictBox, conflict, { keepMine }) {
  conflictBox.replaceChildren();
  const heading = document.createElement("h2");
  heading.textContent = conflict.own
    ? "You saved this article in another tab"
    : conflict.by + " saved this article";
  const intro = document.createElement("p");
  intro.textContent = conflict.error;
  conflictBox.append(heading, intro);
  if (conflict.fields.length) {
    const legend = document.createElement("p");
    legend.className = "autosave__label";
    legend.textContent = conflict.own
      ? "Differences from the other tab’s version to this one:"
      : "Differences from their version to yours:";
    conflictBox.append(legend);
  }
  conflict.fields.forEach(function (item) {
    const title = document.createElement("h3");
    title.textContent = item.label;
    const diff = document.createElement("div");
    diff.className = "diff__text autosave__diff";
    diff.innerHTML = item.diff_html;  // escaped by the server: only <del> and <ins>
    conflictBox.append(title, versions(conflict, item), diff);
  });
  const keep = document.createElement("button");
  keep.type = "button";
  keep.className = "button default";
  keep.dataset.keepMine = "";
  keep.textContent = conflict.own ? "Keep this tab’s version" : "Keep mine";
  keep.addEventListener("click", function () {
    conflictBox.hidden = true;
    keepMine();
  });
  const reload = document.createElement("a");
  reload.className = "button";
  reload.href = location.pathname;
  reload.textContent = conflict.own
    ? "Open the other tab’s version (this one stays in this browser)"
    : "Open their version (yours stays in this browser)";
  const choices = document.createElement("div");
  choices.className = "autosave__choices";
  choices.append(keep, reload);
  conflictBox.append(choices);
  conflictBox.hidden = false;
  conflictBox.scrollIntoView({ block: "nearest" });
}
