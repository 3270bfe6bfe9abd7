// A background job's progress bar in the admin (certificate re-rendering, roster import).
//
// <section class="job-progress" data-progress-url="…json" [data-reload-when-finished]>
//   <div class="progress" role="progressbar" …><span></span></div>
//   <span data-field="done|total|percent"></span>   filled from the JSON of the same name
//   <span data-when="queued|running|finished" hidden></span>   shown in that state
// </section>
// The JSON: {done, total, percent, finished, status?}. Polled once a second until finished.
(function () {
  document.querySelectorAll(".job-progress[data-progress-url]").forEach(function (box) {
    var bar = box.querySelector(".progress");
    function state(p) {
      if (p.finished) return "finished";
      return p.status === "queued" ? "queued" : "running";
    }
    function show(p) {
      if (bar) {
        bar.setAttribute("aria-valuenow", p.percent);
        bar.querySelector("span").style.width = p.percent + "%";
      }
      box.querySelectorAll("[data-field]").forEach(function (el) {
        if (p[el.dataset.field] !== undefined) el.textContent = p[el.dataset.field];
      });
      box.querySelectorAll("[data-when]").forEach(function (el) {
        el.hidden = el.dataset.when !== state(p);
      });
      if (p.finished && box.hasAttribute("data-reload-when-finished")) window.location.reload();
      return p.finished;
    }
    function poll() {
      fetch(box.dataset.progressUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (p) { if (!show(p)) setTimeout(poll, 1000); })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 500);
  });
})();
