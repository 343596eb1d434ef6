// Buttons that ask before they act (delete, approve…): <button data-confirm="Question?">.
// A static file, not an inline onclick, so the Content-Security-Policy can forbid inline script.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
