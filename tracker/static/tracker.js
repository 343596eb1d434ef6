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
// ==== report job (tracker/reports, templates/reports/job.html) ====================================
(function () {
  "use strict";
  // The job page follows its job by long polling: each request is answered as soon as the job
  // moves on (or after a while with no change); the bar shows the layout's progress, and the
  // page reloads itself when the job is finished (download link or error).
  var box = document.querySelector("#job[data-wait-url]");
  if (!box || !window.fetch) {
    return;
  }
  var state = box.dataset.state;
  var progress = box.dataset.progress;
  var failures = 0;
  function show(job) {
    state = job.state;
    progress = String(job.progress);
    box.dataset.state = state;
    box.dataset.progress = progress;
    var percent = box.querySelector("[data-job-percent]");
    var bar = box.querySelector("[role=progressbar]");
    if (percent) {
      percent.textContent = progress;
    }
    if (bar) {
      bar.setAttribute("aria-valuenow", progress);
      bar.firstElementChild.style.width = progress + "%";
    }
    box.querySelectorAll("[data-job-word]").forEach(function (word) {
      word.hidden = word.dataset.jobWord !== (state === "queued" ? "queued" : "running");
    });
  }
  function ask() {
    var url = box.dataset.waitUrl + "?seen=" + encodeURIComponent(state + ":" + progress);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        show(job);
        if (job.finished) {
          window.location.reload();
        } else {
          ask();
        }
      })
      .catch(function () {
        failures += 1; // the server restarted or the network dropped: try again, more slowly
        window.setTimeout(ask, Math.min(30000, 1000 * failures));
      });
  }
  ask();
})();
