/* Behaviour that used to sit in inline handlers, which the content security policy forbids:
   a <select data-autosubmit> submits its form when changed; a <form data-no-submit> is never
   submitted by pressing Enter (the exam paper saves each answer itself). */
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
})();
