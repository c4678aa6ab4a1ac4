// The article editor's script, loaded as a module by the article's change form and wired
// from the page's data attributes (the CSP allows no inline script). One concern a file:
//   toolbar.js      formatting buttons and shortcuts
//   paste.js        pasting from Word, Google Docs or a web page as Markdown
//   images.js       images from the library: the chooser, drop and paste of a picture
//   embeds.js       a video of an allowed host, embedded
//   chooser.js      what the choosers share, and "Link to an analysis"
//   preview.js      live preview, word count and reading time
//   checks.js       the "Checks before publishing" panel
//   actionbar.js    the action bar's confirmations (archive, unpublish)
//   copy.js         "Copy link" beside each preview link
//   fields.js       the one-line title; the timeline only for simulations
//   autosave.js     autosave, with browser-copy.js (the text kept here) and conflict.js
//   presence.js     who else has the article open ("also editing", "in another tab")
//   suggestions.js  suggested topics and regions
// A module runs once the page is parsed, so the elements are all there.

import { startActionBar } from "./actionbar.js";
import { startAutosave } from "./autosave.js";
import { startLinkChooser } from "./chooser.js";
import { startEmbeds } from "./embeds.js";
import { startImages } from "./images.js";
import { contentChecks } from "./checks.js";
import { startCopyButtons } from "./copy.js";
import { keepTitleOnOneLine, showTimelineOnlyForSimulations } from "./fields.js";
import { startPaste } from "./paste.js";
import { startPresence } from "./presence.js";
import { startPreview } from "./preview.js";
import { startSuggestions } from "./suggestions.js";
import { startToolbar } from "./toolbar.js";

const editor = document.querySelector(".md-editor");
if (editor) {
  const form = editor.closest("form");
  const text = editor.querySelector("textarea");
  const checks = contentChecks(document.querySelector("[data-checks]"));

  startToolbar(editor, text);
  startPaste(editor, text);
  startImages(editor, text);
  startEmbeds(editor, text);
  startLinkChooser(editor, text);
  startPreview({ editor, form, text, checks });
  keepTitleOnOneLine(form);
  showTimelineOnlyForSimulations(form);
  const box = document.querySelector("[data-autosave]");
  const presence = document.querySelector("[data-presence]");
  if (box) {
    startAutosave({
      box,
      form,
      text,
      onCreated: function (article) { checks.article = article; },
      conflictUrl: presence ? presence.dataset.conflictUrl : "",
      currentVersion: presence ? presence.dataset.currentVersion : "",
    });
  }
  startPresence(presence, form);
}
startSuggestions(document.querySelector(".tag-suggestions[data-suggestions-url]"));
startActionBar(document.querySelector("[data-action-bar]"));
startCopyButtons(document);
