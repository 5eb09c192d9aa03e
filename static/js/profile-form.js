// Progressive enhancement for the profile form: a search box that filters the competency
// list. Without JavaScript the grouped list works as it is.
(function () {
  "use strict";
  var box = document.querySelector("[data-competency-search]");
  if (!box) return;
  box.hidden = false;
  var input = box.querySelector("input");
  var items = Array.prototype.slice.call(document.querySelectorAll(".competency"));
  var groups = Array.prototype.slice.call(document.querySelectorAll(".competencies details"));
  input.addEventListener("input", function () {
    var q = input.value.trim().toLowerCase();
    items.forEach(function (li) {
      li.hidden = q !== "" && li.getAttribute("data-name").indexOf(q) === -1;
    });
    groups.forEach(function (group) {
      var visible = group.querySelectorAll(".competency:not([hidden])").length;
      group.hidden = visible === 0;
      if (q !== "" && visible > 0) group.open = true;
    });
  });
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
