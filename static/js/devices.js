// Devices page: a filter box for the employer picker (an event can have hundreds of
// employers). Progressive enhancement: without JavaScript the plain select works as it is.
(function () {
  "use strict";
  var box = document.querySelector("[data-employer-filter]");
  var select = document.getElementById("employer_id");
  if (!box || !select) return;
  var input = box.querySelector("input");
  var count = document.getElementById("employer-filter-count");
  // Every option once, so filtering can put them back in their order.
  var all = Array.prototype.slice.call(select.options);
  box.hidden = false;

  function filter() {
    var q = input.value.trim().toLowerCase();
    var shown = all.filter(function (o) {
      return o.value === "" || q === "" || o.textContent.toLowerCase().indexOf(q) !== -1;
    });
    // Rebuilding the list (rather than hiding options) works in every browser and keeps
    // screen readers' option counts right.
    select.replaceChildren.apply(select, shown);
    var n = shown.filter(function (o) { return o.value !== ""; }).length;
    if (q === "") count.textContent = "";
    else if (n === 0) count.textContent = box.getAttribute("data-none");
    else if (n === 1) count.textContent = box.getAttribute("data-one");
    else count.textContent = box.getAttribute("data-found").replace("{n}", String(n));
    // One match: choose it, so Tab then Enter is enough.
    if (q !== "" && n === 1) {
      select.value = shown.filter(function (o) { return o.value !== ""; })[0].value;
    }
  }

  input.addEventListener("input", filter);
  // Enter in the filter must not submit the pairing form by surprise.
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      select.focus();
    }
  });
})();
