// Images in the body, from the image library: the toolbar's "Image" button opens the
// chooser (search the library, or upload a picture with its alt text, caption and
// credit); a picture dropped on the text or pasted into it opens the same chooser with
// the picture chosen, so its alt text is asked for before anything is inserted. What is
// inserted names the image by id, on a line of its own: ![alt text](image:42).

import { chooser, csrfToken, getJson, insertBlock, say, searchAsTyped } from "./chooser.js";

const IMAGE_TYPES = ["image/png", "image/jpeg"];

// The first picture among dropped or pasted files, if any.
function pictureIn(files) {
  return Array.from(files || []).find((file) => IMAGE_TYPES.includes(file.type)) || null;
}

export function startImages(editor, text) {
  const listUrl = editor.dataset.imageChooserUrl;
  const uploadUrl = editor.dataset.imageUploadUrl;
  const state = chooser(editor, text, "image");
  const button = editor.querySelector('[data-md-chooser="image"]');
  if (!listUrl || !uploadUrl || !state || !button) return;
  const dialog = state.dialog;
  const form = text.closest("form");
  const fileInput = dialog.querySelector("[data-image-file]");
  const chosen = dialog.querySelector("[data-image-chosen]");
  const alt = dialog.querySelector("[data-image-alt]");
  const caption = dialog.querySelector("[data-image-caption]");
  const credit = dialog.querySelector("[data-image-credit]");
  const uploadButton = dialog.querySelector("[data-image-upload]");
  const status = dialog.querySelector("[data-chooser-status]");
  const search = dialog.querySelector("[data-chooser-search]");
  const list = dialog.querySelector("[data-chooser-results]");

  function showErrors(errors) {
    dialog.querySelectorAll("[data-error-for]").forEach(function (box) {
      const messages = (errors || {})[box.dataset.errorFor] || [];
      box.textContent = messages.join(" ");
      box.hidden = messages.length === 0;
    });
  }

  // A message goes as soon as its field is changed.
  function clearError(name) {
    const box = dialog.querySelector('[data-error-for="' + name + '"]');
    box.textContent = "";
    box.hidden = true;
  }

  // The chosen picture, shown small (read as a data: address, which the CSP allows).
  function showChosen() {
    const file = fileInput.files[0];
    chosen.hidden = !file;
    if (!file) return;
    const reader = new FileReader();
    reader.addEventListener("load", function () { chosen.src = reader.result; });
    reader.readAsDataURL(file);
  }

  function insert(image) {
    state.close();
    insertBlock(text, state.end, image.markdown);
  }

  function show(images) {
    if (!images.length) {
      say(list, "No image of the library matches; upload one above.");
      return;
    }
    list.replaceChildren(
      ...images.map(function (image) {
        const item = document.createElement("li");
        const pick = document.createElement("button");
        pick.type = "button";
        pick.className = "md-chooser__image";
        pick.title = image.caption || image.alt;
        const thumbnail = document.createElement("img");
        thumbnail.src = image.thumbnail;
        thumbnail.alt = "";
        thumbnail.loading = "lazy";
        const words = document.createElement("span");
        words.textContent = image.alt;
        pick.append(thumbnail, words);
        pick.setAttribute("aria-label", "Insert: " + image.alt);
        pick.addEventListener("click", () => insert(image));
        item.append(pick);
        return item;
      }),
    );
  }

  const run = searchAsTyped(search, async function (words, stillWanted) {
    try {
      const answer = await getJson(listUrl + "?" + new URLSearchParams({ q: words }));
      if (stillWanted()) show(answer.images);
    } catch (error) {
      say(list, "The library did not answer; try again in a moment.");
    }
  });

  function open(file) {
    fileInput.value = "";
    if (file) {
      const transfer = new DataTransfer();
      transfer.items.add(file);
      fileInput.files = transfer.files;
    }
    alt.value = "";
    caption.value = "";
    credit.value = "";
    status.textContent = "";
    showErrors({});
    showChosen();
    search.value = "";
    state.open();
    (file ? alt : search).focus();
    run();
  }

  async function upload() {
    const file = fileInput.files[0];
    const errors = {};
    if (!file) errors.file = ["Choose a picture to upload."];
    if (!alt.value.trim()) errors.alt = ["Write the alt text: what the image shows, for readers who cannot see it."];
    showErrors(errors);
    if (Object.keys(errors).length) {
      (errors.file ? fileInput : alt).focus();
      return;
    }
    const data = new FormData();
    data.append("file", file);
    data.append("alt", alt.value.trim());
    data.append("caption", caption.value.trim());
    data.append("credit", credit.value.trim());
    uploadButton.disabled = true;
    status.textContent = "Uploading and making the sizes for the page…";
    try {
      const response = await fetch(uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
      });
      const answer = await response.json();
      if (answer.saved) {
        insert(answer.image);
      } else {
        status.textContent = "";
        showErrors(answer.errors);
      }
    } catch (error) {
      status.textContent = "The upload did not go through; what you typed is still here. Try again.";
    } finally {
      uploadButton.disabled = false;
    }
  }

  button.addEventListener("mousedown", (event) => event.preventDefault());
  button.addEventListener("click", () => open(null));
  fileInput.addEventListener("change", function () {
    showChosen();
    clearError("file");
  });
  alt.addEventListener("input", () => clearError("alt"));
  caption.addEventListener("input", () => clearError("caption"));
  credit.addEventListener("input", () => clearError("credit"));
  uploadButton.addEventListener("click", upload);
  // Enter in the one-line fields uploads too (the search field searches instead).
  dialog.addEventListener("chooser-enter", function (event) {
    if (event.target !== search) upload();
  });
  alt.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      upload();
    }
  });

  // A picture dropped on the text, or pasted alone (a screenshot): its alt text first.
  text.addEventListener("dragover", function (event) {
    if (Array.from(event.dataTransfer.types).includes("Files")) event.preventDefault();
  });
  text.addEventListener("drop", function (event) {
    const files = event.dataTransfer.files;
    if (!files || files.length === 0) return; // dropped text: the browser puts it in
    // Any file is kept from the browser, which would otherwise open it in place of the page.
    event.preventDefault();
    text.focus();
    const file = pictureIn(files);
    open(file);
    if (!file) {
      showErrors({ file: ["“" + files[0].name + "” is not a PNG or JPEG picture: only pictures go in the text. Choose one here, or export it as PNG or JPEG."] });
    }
  });
  text.addEventListener("paste", function (event) {
    const clipboard = event.clipboardData;
    // Text copied with a picture of itself (Word does this) is text: paste.js takes it.
    if (!clipboard || clipboard.types.includes("text/html") || clipboard.types.includes("text/plain")) return;
    const file = pictureIn(clipboard.files);
    if (!file) return;
    event.preventDefault();
    open(file);
  });
}
