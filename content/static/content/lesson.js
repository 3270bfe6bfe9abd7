// The 完成 button waits for the lesson's minimum time; the server checks it again.
(function () {
  var button = document.getElementById("complete-button");
  if (!button) return;
  var note = document.getElementById("complete-wait");
  var left = parseInt(button.getAttribute("data-wait"), 10) || 0;
  function tick() {
    if (left <= 0) {
      button.disabled = false;
      if (note) note.textContent = "";
      return;
    }
    button.disabled = true;
    if (note) note.textContent = note.getAttribute("data-template").replace("%s", left);
    left -= 1;
    setTimeout(tick, 1000);
  }
  tick();
})();
