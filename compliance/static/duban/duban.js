/* Duban's few behaviours, bound from data attributes so pages need no inline script (the
   Content-Security-Policy allows scripts from this site only). */
(function () {
  "use strict";

  function bind(root) {
    // <select data-autosubmit>: submit the form on change (the language switch).
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // <input type=checkbox data-check-all="NAME">: tick or clear every checkbox named NAME.
    root.querySelectorAll("input[data-check-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        var name = box.getAttribute("data-check-all");
        box.form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (c) {
          c.checked = box.checked;
        });
      });
    });
    // <form data-confirm="question">: ask before submitting (deleting an item).
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bind(document); });
  } else {
    bind(document);
  }
})();
