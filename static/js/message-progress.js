// The progress bar of a message being sent: asks the server every 2 s until nothing is
// waiting, and updates the bar and its text (the page works without it: a refresh link).
(function () {
  "use strict";
  var box = document.getElementById("message-progress");
  if (!box || box.dataset.pending === "0") return;
  var bar = box.querySelector("progress");
  var label = box.querySelector("label");
  var noJs = box.querySelector(".no-js-only");
  if (noJs) noJs.hidden = true;
  function show(p) {
    bar.max = p.total;
    bar.value = p.done;
    label.textContent = box.dataset.text.replace("{done}", p.done).replace("{total}", p.total);
  }
  function ask() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) return;
        show(p);
        if (p.pending > 0) window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 2000);
})();
