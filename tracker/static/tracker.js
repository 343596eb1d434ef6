// tracker: small behaviours without inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  // A POST button that asks first: <button data-confirm="Delete?">.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Controls that submit their form when changed: <select data-autosubmit>.
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]") && event.target.form) {
      event.target.form.requestSubmit();
    }
  });
})();
(function () {
  "use strict";
  // The section of the current page is marked in the menu (the longest matching link wins).
  var links = document.querySelectorAll("#main-nav .nav-link[href]");
  var best = null;
  links.forEach(function (link) {
    var path = new URL(link.href, window.location.href).pathname;
    var here = window.location.pathname;
    if ((here === path || here.indexOf(path + "/") === 0) && (!best || path.length > best.path.length)) {
      best = { link: link, path: path };
    }
  });
  if (best) {
    best.link.setAttribute("aria-current", "page");
  }
})();
