// Who else has this article open: the page tells the server every so often (and when the
// tab comes back into view) that it is open, and shows whom else the server knows of —
// another person ("Nino Beridze is also editing this article (since 14:02 UTC)") or the
// same person in another tab. Closing the page says it is gone at once.

const TAB_KEY = "newsroom:tab";

// One id a tab, kept across its reloads (sessionStorage belongs to the tab).
function tabId() {
  try {
    let id = sessionStorage.getItem(TAB_KEY);
    if (!id) {
      id = crypto.randomUUID();
      sessionStorage.setItem(TAB_KEY, id);
    }
    return id;
  } catch (error) {
    return crypto.randomUUID();  // storage off: an id for this page only
  }
}

export function startPresence(box, form) {
  if (!box || !box.dataset.presenceUrl || !form) return;
  const list = box.querySelector("[data-presence-list]");
  const tab = tabId();
  let every = Number(box.dataset.pingSeconds || 25) * 1000;
  let timer = null;

  function data(leaving) {
    const sent = new FormData();
    sent.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    sent.append("tab", tab);
    if (leaving) sent.append("leaving", "1");
    return sent;
  }

  function show(others) {
    list.replaceChildren(...others.map(function (other) {
      const item = document.createElement("li");
      if (other.own_tab) item.className = "presence__own-tab";
      item.textContent = other.notice;
      return item;
    }));
    box.hidden = others.length === 0;
  }

  function ping() {
    clearTimeout(timer);
    fetch(box.dataset.presenceUrl, { method: "POST", body: data(false), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer) return;
        every = answer.ping_seconds * 1000;
        show(answer.others);
      })
      .catch(function () { /* offline: try again at the next ping */ })
      .finally(function () { timer = setTimeout(ping, every); });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") ping();
  });
  window.addEventListener("pagehide", function () {
    clearTimeout(timer);
    navigator.sendBeacon(box.dataset.presenceUrl, data(true));
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) ping();  // back from the browser's page cache
  });
  ping();
}
