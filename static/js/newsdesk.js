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
  // The speaker field: suggestions from /suggest/speakers/ as one types (an ARIA combobox: arrows
  // move, Enter or a click chooses, Escape closes). A chosen speaker becomes a ticked box
  // `speaker=<slug>` beside those chosen before, as the server renders them; without this file
  // the typed name is sent as `speaker_name` and the server finds the speaker.
  document.querySelectorAll("[data-speaker-picker]").forEach(function (field) {
    var input = field.querySelector("input[name=speaker_name]");
    var url = field.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch) return;
    var list = document.createElement("ul");
    list.id = input.id + "_suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Speakers");
    list.hidden = true;
    input.after(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var timer = null, active = -1, asked = "";

    function options() { return list.querySelectorAll("[role=option]"); }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", all[active].id);
    }
    function choose(option) {
      var slug = option.getAttribute("data-slug");
      var chosen = field.querySelector("ul.chosen-speakers");
      if (!chosen) {
        chosen = document.createElement("ul");
        chosen.className = "chosen-speakers";
        chosen.setAttribute("aria-label", "Chosen speakers");
        field.querySelector("label").after(chosen);
      }
      var already = Array.prototype.some.call(chosen.querySelectorAll("input"), function (box) {
        if (box.value === slug) { box.checked = true; return true; }
        return false;
      });
      if (!already) {
        var item = document.createElement("li");
        var label = document.createElement("label");
        var box = document.createElement("input");
        label.className = "chip";
        box.type = "checkbox";
        box.name = "speaker";
        box.value = slug;
        box.checked = true;
        label.append(box, " " + option.getAttribute("data-name"));  // text, never markup
        item.append(label);
        chosen.append(item);
      }
      input.value = "";
      close();
      input.focus();
    }
    function show(speakers) {
      list.textContent = "";
      speakers.forEach(function (speaker, i) {
        var option = document.createElement("li");
        option.id = list.id + "_" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-slug", speaker.slug);
        option.setAttribute("data-name", speaker.name);
        var name = document.createElement("span");
        name.className = "suggestion-name";
        name.textContent = speaker.name;
        var detail = document.createElement("span");
        detail.className = "suggestion-detail";
        detail.textContent = (speaker.detail ? speaker.detail + " · " : "") + speaker.quotes + (speaker.quotes === 1 ? " quote" : " quotes");
        option.append(name, detail);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(option); });
        list.append(option);
      });
      list.hidden = !speakers.length;
      input.setAttribute("aria-expanded", speakers.length ? "true" : "false");
      active = -1;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var typed = input.value.trim();
      if (typed.length < 2) { close(); return; }
      timer = setTimeout(function () {
        asked = typed;
        fetch(url + "?q=" + encodeURIComponent(typed), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { speakers: [] }; })
          .then(function (data) { if (asked === typed) show(data.speakers || []); })
          .catch(close);
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(options()[active]); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  });
})();
