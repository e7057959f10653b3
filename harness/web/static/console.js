// catsync-sim web console: live updates. The server sends the page's live part again whenever it changes
// (server-sent events on /live?path=...); the browser swaps it in. Forms live outside that part, so typing is
// never disturbed.
(function () {
  "use strict";
  const conn = document.getElementById("conn");
  function state(text, cls) {
    if (conn) { conn.textContent = text; conn.className = "conn " + cls; }
  }
  if (document.body.dataset.live !== "1" || !window.EventSource) { state("", "off"); return; }
  const path = window.location.pathname + window.location.search;
  const source = new EventSource("/live?path=" + encodeURIComponent(path));
  source.onopen = function () { state("live", "on"); };
  source.onerror = function () { state("reconnecting", "down"); };
  source.addEventListener("update", function (event) {
    const data = JSON.parse(event.data);
    const top = document.getElementById("top");
    if (top && typeof data.top === "string" && data.top !== top.dataset.sig) {
      // the page's buttons and forms changed (a node answers again, the configuration moved): draw it anew
      source.close();
      window.location.reload();
      return;
    }
    const live = document.getElementById("live");
    if (live && typeof data.html === "string") { live.innerHTML = data.html; }
    const clock = document.getElementById("clock");
    if (clock && typeof data.clock === "string") { clock.textContent = data.clock; }
    document.body.dataset.updates = String(Number(document.body.dataset.updates || "0") + 1);
    state("live", "on");
  });
  source.addEventListener("gone", function (event) {
    state("console stopped", "down");
    source.close();
  });
})();
