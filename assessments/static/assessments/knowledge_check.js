/* Knowledge checks in a lesson: ask the server, show right or wrong with the explanation. */
(function () {
  "use strict";
  document.querySelectorAll("form.knowledge-check:not([data-ready])").forEach(function (form) {
    form.dataset.ready = "1";
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var inputs = form.querySelectorAll("input[name^=kc]");
      var answer = [];
      inputs.forEach(function (i) {
        if ((i.type === "radio" || i.type === "checkbox") ? i.checked : i.value.trim()) answer.push(i.value);
      });
      var out = form.querySelector(".kc-feedback");
      fetch(form.dataset.url, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json",
                   "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value },
        body: JSON.stringify({ question: Number(form.dataset.question), lesson: Number(form.dataset.lesson) || null, answer: answer })
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (!data.ok) { out.textContent = data.error; return; }
        out.dataset.correctState = data.correct ? "true" : "false";
        out.textContent = (data.correct ? out.dataset.correct : out.dataset.wrong + " " + data.key.join(" / ")) +
          (data.explanation ? " " + data.explanation : "");
      });
    });
  });
})();
