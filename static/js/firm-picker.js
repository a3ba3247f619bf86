/* The firm picker of the new-application form: a type-ahead over a plain credit-code field.
   Without this script the field still takes a credit code; with it, typing part of a name or
   the start of a code lists the firms of the official's own region (the server decides which:
   certification:firm-search), and choosing one fills in its credit code. */
(function () {
  "use strict";

  function init(input) {
    var url = input.getAttribute("data-firm-search");
    var list = document.createElement("ul");
    var chosen = document.createElement("div");
    var timer = null;
    var sequence = 0;
    var active = -1;
    var firms = [];

    list.id = input.id + "-options";
    list.className = "firm-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    chosen.className = "firm-chosen";
    chosen.setAttribute("aria-live", "polite");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", chosen);

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(firm) {
      input.value = firm.uscc;
      chosen.textContent = firm.name + " · " + firm.region;
      close();
      // The form runs its pre-check on change.
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", String(i === index));
      });
      active = index;
      if (options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function show(results) {
      list.textContent = "";
      firms = results;
      active = -1;
      results.forEach(function (firm, index) {
        var option = document.createElement("li");
        var name = document.createElement("strong");
        var detail = document.createElement("span");
        option.id = list.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("data-uscc", firm.uscc);
        name.textContent = firm.name;
        detail.textContent = firm.uscc + " · " + firm.region;
        option.append(name, detail);
        // mousedown, not click: the input's blur would close the list first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(firm);
        });
        list.appendChild(option);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", String(!list.hidden));
    }

    function search() {
      var query = input.value.trim();
      var mine = ++sequence;
      if (query.length < 2) {
        close();
        return;
      }
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === sequence) show(data.results);
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      chosen.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, firms.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(firms[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  document.querySelectorAll("input[data-firm-search]").forEach(init);
})();
