// What autosave shows when someone else saved the article after this page was opened:
// for each field that differs, their version and this one side by side with the server's
// word diff, then two ways on: save mine over theirs, or open theirs (mine stays in this
// browser).

function versions(conflict, item) {
  const columns = document.createElement("div");
  columns.className = "autosave__versions";
  [
    ["Their version (" + conflict.by + ")", item.theirs],
    ["Your version (in the editor)", item.yours],
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
  heading.textContent = "Someone else saved this article";
  const intro = document.createElement("p");
  intro.textContent = conflict.error;
  conflictBox.append(heading, intro);
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
  keep.className = "button";
  keep.textContent = "Save mine over theirs";
  keep.addEventListener("click", function () {
    conflictBox.hidden = true;
    keepMine();
  });
  const reload = document.createElement("a");
  reload.className = "button";
  reload.href = location.pathname;
  reload.textContent = "Open their version (yours stays in this browser)";
  conflictBox.append(keep, document.createTextNode(" "), reload);
  conflictBox.hidden = false;
}
