// Move keyboard focus to a form's error summary when a page shows one, so keyboard
// and screen-reader users start from the list of problems (its links lead to the fields).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
});
