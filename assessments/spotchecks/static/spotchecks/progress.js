// Live progress on a running campaign: poll the regulator's JSON every 15 s.
(function () {
  var section = document.getElementById("progress");
  if (!section) return;
  var url = section.getAttribute("data-progress-url");
  function refresh() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        data.enterprises.forEach(function (e) {
          var row = section.querySelector('tr[data-enterprise="' + e.id + '"]');
          if (!row) return;
          row.querySelector(".js-progress").textContent = e.finished + "/" + e.total;
          var bar = row.querySelector(".progress > span");
          if (bar) bar.style.width = (e.total ? Math.round(100 * e.finished / e.total) : 0) + "%";
        });
      })
      .catch(function () {});
  }
  setInterval(refresh, 15000);
})();
