// "Video": embeds a video of an allowed host (YouTube, Vimeo) in the body. The server
// checks the address against the same allow-list as a briefing's video and answers the
// Markdown, an image whose address is the video's, on a line of its own:
// ![Title](https://www.youtube.com/watch?v=…). A refused address is said in the dialog.

import { chooser, getJson, insertBlock } from "./chooser.js";

export function startEmbeds(editor, text) {
  const url = editor.dataset.embedUrl;
  const state = chooser(editor, text, "video");
  const button = editor.querySelector('[data-md-chooser="video"]');
  if (!url || !state || !button) return;
  const address = state.dialog.querySelector("[data-video-url]");
  const title = state.dialog.querySelector("[data-video-title]");
  const error = state.dialog.querySelector('[data-error-for="url"]');
  const insert = state.dialog.querySelector("[data-video-insert]");

  function refuse(message) {
    error.textContent = message;
    error.hidden = !message;
    if (message && document.activeElement !== address) address.focus();
  }

  async function check() {
    try {
      const params = new URLSearchParams({ url: address.value.trim(), title: title.value.trim() });
      const answer = await getJson(url + "?" + params);
      if (!answer.ok) {
        refuse(answer.error);
        return;
      }
      state.close();
      insertBlock(text, state.end, answer.markdown);
    } catch (failure) {
      refuse("The check did not answer; try again in a moment.");
    }
  }

  button.addEventListener("mousedown", (event) => event.preventDefault());
  button.addEventListener("click", function () {
    address.value = "";
    title.value = "";
    refuse("");
    state.open();
    address.focus();
  });
  insert.addEventListener("click", check);
  address.addEventListener("input", () => refuse(""));
  state.dialog.addEventListener("chooser-enter", check);
}
