// Polls the re-rendering job's progress once a second until it has finished.
(function () {
  var box = document.getElementById("render-progress");
  if (!box) return;
  var bar = box.querySelector(".progress");
  function show(p) {
    bar.setAttribute("aria-valuenow", p.percent);
    bar.querySelector("span").style.width = p.percent + "%";
    box.querySelector(".done").textContent = p.done;
    box.querySelector(".total").textContent = p.total;
    box.querySelector(".finished").hidden = !p.finished;
    return p.finished;
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (p) { if (!show(p)) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
