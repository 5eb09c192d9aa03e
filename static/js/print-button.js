// The print button of a print view (e.g. templates/employer_matching_print.html): shown
// only when script runs, since without script the browser's own Print works the same.
const button = document.getElementById("print-button");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
