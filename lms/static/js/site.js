/* Behaviour that used to sit in inline handlers, which the content security policy forbids:
   a <select data-autosubmit> submits its form when changed; a <form data-no-submit> is never
   submitted by pressing Enter (the exam paper saves each answer itself); on a narrow screen the
   main menu folds behind a menu button (without JavaScript it simply wraps, all of it shown). */
(function () {
  "use strict";
  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
  });
  document.addEventListener("submit", function (ev) {
    if (ev.target && ev.target.matches && ev.target.matches("form[data-no-submit]")) {
      ev.preventDefault();
    }
  });
  var toggle = document.querySelector(".nav-toggle");
  var header = document.querySelector(".site-header");
  if (toggle && header) {
    header.classList.add("nav-collapsible");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("nav-open", open);
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && header.classList.contains("nav-open")) {
        header.classList.remove("nav-open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }
})();
