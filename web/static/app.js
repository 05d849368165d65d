// A little enhancement for the filter forms; every page works without it.
// A changed select or checkbox applies the filters at once, and empty
// fields are left out of the address so it stays short to share.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (el) {
        if (el.name && el.value === "" ) { el.disabled = true; }
      });
    });
    form.querySelectorAll("select, input[type=checkbox]").forEach(function (el) {
      el.addEventListener("change", function () { form.requestSubmit(); });
    });
  });
});
