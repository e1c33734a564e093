// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // "Copy citation" buttons: shown only where the clipboard API is available.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy citation"; }, 2000);
      });
    });
  });

  // On a phone the filter form and the facets start closed, so the first quote is on the first
  // screen; a form with an error stays open. (Without this file they are open.)
  if (window.matchMedia && window.matchMedia("(max-width: 860px)").matches) {
    document.querySelectorAll("details[data-closed-on-phones]").forEach(function (details) {
      if (!details.querySelector(".has-error")) details.open = false;
    });
  }

  // Share-friendly addresses: a filter form sends only the fields that have a value
  // (?country=RUS, not ?q=&country=RUS&topic=&...). The server redirects such an address too.
  document.querySelectorAll("form[data-drop-empty]").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && !field.disabled && field.value === "" && field.type !== "submit") {
          field.disabled = true;
          // re-enabled for the back button, which shows the page as it was left
          setTimeout(function () { field.disabled = false; }, 0);
        }
      });
    });
  });
})();
