// Two small rules of the article form itself.

// The title is one line, typed in a box that grows with it: Enter does not break it.
export function keepTitleOnOneLine(form) {
  const title = form.querySelector("#id_title");
  if (!title) return;
  title.addEventListener("keydown", function (event) {
    if (event.key === "Enter") event.preventDefault();
  });
}

// The timeline of moves only shows for simulations.
export function showTimelineOnlyForSimulations(form) {
  const kind = form.querySelector("#id_kind");
  const timeline = document.querySelector(".only-for-simulation");
  if (!kind || !timeline) return;
  kind.addEventListener("change", function () {
    timeline.hidden = kind.value !== "simulation";
  });
}
