// Progressive enhancement for the patient pages. Every page works without this file.
(function () {
  "use strict";

  function valueOf(form, name) {
    var fields = form.querySelectorAll('[name="' + name + '"]');
    if (!fields.length) {
      var year = form.querySelector('[name="' + name + '-year"]');
      if (!year) return undefined;
      var month = form.querySelector('[name="' + name + '-month"]');
      return year.value ? year.value + (month && month.value ? "-" + month.value : "") : "";
    }
    if (fields[0].type === "checkbox") {
      return Array.prototype.filter.call(fields, function (f) { return f.checked; })
        .map(function (f) { return f.value; });
    }
    if (fields[0].type === "radio") {
      var checked = Array.prototype.find.call(fields, function (f) { return f.checked; });
      return checked ? checked.value : "";
    }
    return fields[0].value.trim();
  }

  function answered(value) {
    return !(value === undefined || value === "" || (Array.isArray(value) && !value.length));
  }

  function holds(condition, lookup) {
    if (condition.all) return condition.all.every(function (c) { return holds(c, lookup); });
    if (condition.any) return condition.any.some(function (c) { return holds(c, lookup); });
    var value = lookup(condition.item);
    if (value === undefined) return true; // asked on another page: the server decided already
    if ("answered" in condition) return answered(value) === condition.answered;
    if ("equals" in condition) return String(value) === String(condition.equals);
    if ("in" in condition) return condition.in.map(String).indexOf(String(value)) !== -1;
    if ("includes" in condition) return Array.isArray(value) && value.indexOf(String(condition.includes)) !== -1;
    var number = parseFloat(value);
    if (isNaN(number)) return false;
    if ("gt" in condition) return number > condition.gt;
    if ("gte" in condition) return number >= condition.gte;
    if ("lt" in condition) return number < condition.lt;
    if ("lte" in condition) return number <= condition.lte;
    return true;
  }

  // A question shows while its condition holds. Text typed into a question that then hides
  // stays on the page (and is sent with it): the server names it beside the question, which
  // then stays shown (data-keep-shown) with its cue until the patient clears it or changes the
  // answer it depends on. The cue ("Answer only if ...") is for pages without this script.
  function applyConditions(form) {
    form.querySelectorAll("[data-cue]").forEach(function (cue) {
      var question = cue.closest("[data-show-if]");
      cue.hidden = !(question && question.hasAttribute("data-keep-shown"));
    });
    form.querySelectorAll("[data-show-if]").forEach(function (element) {
      var entry = element.closest("[data-row-prefix]");
      var prefix = entry ? entry.getAttribute("data-row-prefix") : "";
      var lookup = function (id) {
        var inRow = prefix ? valueOf(form, prefix + id) : undefined;
        return inRow !== undefined ? inRow : valueOf(form, id);
      };
      element.hidden = !element.hasAttribute("data-keep-shown") &&
        !holds(JSON.parse(element.getAttribute("data-show-if")), lookup);
    });
    form.querySelectorAll("[data-other-for]").forEach(function (box) {
      var option = document.getElementById(box.getAttribute("data-other-for"));
      box.hidden = !(option && option.checked) && !box.hasAttribute("data-keep-shown");
    });
  }

  // Follow-ups of a chosen option: moved under their option and shown while it is ticked.
  // The page holds the blocks of the options ticked when it was drawn; ticking another copies
  // its item's <template>, with the option's value and label and a new stable id put in (the
  // block's hidden id also tells the server the patient saw its questions). Unticking an option
  // whose follow-ups hold answers keeps them in view with a warning: they are never thrown away
  // unseen (the server refuses them too, with the same message).
  function filled(block) {
    return Array.prototype.some.call(
      block.querySelectorAll("input:not([type=hidden]), select, textarea"),
      function (f) { return f.type === "radio" || f.type === "checkbox" ? f.checked : f.value.trim() !== ""; });
  }

  function escaped(text) {
    return text.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  function newRowId() {
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(6)), function (byte) {
      return (byte + 256).toString(16).slice(1);
    }).join("");
  }

  // A copy of the template's element matching `selector`, made for one option.
  function fromTemplate(template, selector, option) {
    var label = document.querySelector('label[for="' + option.id + '"]');
    var holder = document.createElement("div");
    holder.innerHTML = template.content.querySelector(selector).outerHTML
      .split("__OPTION__").join(option.value)
      .split("__LABEL__").join(escaped(label.textContent))
      .split("__ROW_ID__").join(newRowId());
    return holder.firstElementChild;
  }

  function applyDetails(form) {
    var templates = {};
    form.querySelectorAll("template[data-details-template]").forEach(function (template) {
      var name = template.getAttribute("data-details-template");
      templates[name] = template;
      form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (option) {
        if (option.checked && !form.querySelector('[data-details-for="' + option.id + '"]')) {
          template.before(fromTemplate(template, ".details", option));
        }
      });
    });
    form.querySelectorAll("[data-details-for]").forEach(function (block) {
      var option = document.getElementById(block.getAttribute("data-details-for"));
      if (!option) return;
      if (!block.classList.contains("is-inline")) {
        var row = option.closest(".option");
        var other = row.nextElementSibling;
        (other && other.hasAttribute("data-other-for") ? other : row).after(block);
        block.classList.add("is-inline");
      }
      var kept = !option.checked && filled(block);
      var warning = block.querySelector(".details-warning");
      if (kept && !warning && templates[option.name]) {
        warning = fromTemplate(templates[option.name], ".details-warning", option);
        block.querySelector("legend").after(warning);
      }
      block.hidden = !option.checked && !kept;
      if (warning) warning.hidden = !kept;
    });
  }

  // Body map: tapping an area ticks its box in the list, which stays the control; the picture
  // follows the list.
  function bodyMaps(form) {
    form.querySelectorAll("[data-body-map]").forEach(function (picture) {
      var name = picture.getAttribute("data-body-map");
      var box = function (area) {
        return form.querySelector('input[name="' + name + '"][value="' + area + '"]');
      };
      var paint = function () {
        picture.querySelectorAll("[data-area]").forEach(function (shape) {
          var input = box(shape.getAttribute("data-area"));
          shape.classList.toggle("is-chosen", !!(input && input.checked));
        });
      };
      picture.addEventListener("click", function (event) {
        var shape = event.target.closest("[data-area]");
        var input = shape && box(shape.getAttribute("data-area"));
        if (!input) return;
        input.checked = !input.checked;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      form.addEventListener("change", paint);
      picture.hidden = false;
      paint();
    });
  }

  // Autosave: a page is saved in the background as the patient types. When the server or the
  // connection is down, the answers stay on the page and the save is tried again, waiting
  // longer each time (2 s, 4 s, ... up to 30 s, or what Retry-After asks). A button press with
  // unsaved answers during an outage saves first and only then leaves the page.
  // The words come from the page (data-* on the status line), in the patient's language.
  function said(status, name) { return status.getAttribute("data-" + name) || ""; }

  function autosave(form) {
    var url = form.getAttribute("data-autosave");
    var status = form.querySelector(".save-status");
    var revision = form.querySelector('[name="revision"]');
    var timer = null;
    var stopped = false;
    var saving = null; // the autosave on its way, if any
    var edits = 0; // input events so far; a save covers the edits made before it started
    var savedEdits = form.hasAttribute("data-unsaved") ? -1 : 0;
    var failing = false;
    var retryDelay = 0;
    var retryTimer = null;

    function unsaved() { return savedEdits !== edits; }

    function retryLater(retryAfter) {
      failing = true;
      retryDelay = Math.min(Math.max(retryDelay * 2, 2000, retryAfter * 1000 || 0), 30000);
      status.textContent = said(status, "unsaved");
      clearTimeout(retryTimer);
      retryTimer = setTimeout(save, retryDelay);
    }

    // Resolve to true when the page's answers are stored.
    function save() {
      if (stopped) return Promise.resolve(false);
      if (saving) return saving.then(function () { return unsaved() ? save() : true; });
      clearTimeout(retryTimer);
      var covers = edits;
      var data = new FormData(form);
      data.delete("action");
      var token = form.querySelector('[name="csrfmiddlewaretoken"]').value;
      saving = fetch(url, { method: "POST", body: data, credentials: "same-origin",
                   headers: { "X-CSRFToken": token }, })
        .then(function (response) {
          if (response.status === 503) {
            return { status: 503, retryAfter: parseInt(response.headers.get("Retry-After"), 10) };
          }
          return response.json().then(function (body) { return { status: response.status, body: body }; });
        })
        .then(function (result) {
          if (result.status === 200) {
            revision.value = result.body.revision;
            savedEdits = covers;
            failing = false;
            retryDelay = 0;
            status.textContent = said(status, "saved");
            return true;
          }
          if (result.status === 503) {
            retryLater(result.retryAfter);
          } else if (result.status === 409) {
            stopped = true;
            status.textContent = said(status, "conflict");
          } else {
            stopped = true;
            status.textContent = said(status, "not-saved");
          }
          return false;
        }, function () { retryLater(0); return false; }) // no connection
        .then(function (saved) { saving = null; return saved; });
      return saving;
    }
    // A button press sends the whole page: no autosave after it, and none racing it. An
    // autosave still on its way would move the revision on and the press would read as a
    // change made elsewhere, so the press waits for it and goes with the new revision. While
    // saves fail, the press saves first, so the patient never leaves answers unsaved.
    var waiting = false;
    form.addEventListener("submit", function (event) {
      clearTimeout(timer);
      if (waiting) { event.preventDefault(); return; } // a second tap while waiting
      var mustSaveFirst = failing && unsaved() && !stopped;
      if ((!saving && !mustSaveFirst) || !form.requestSubmit) return;
      event.preventDefault();
      waiting = true;
      var button = event.submitter;
      var ready = mustSaveFirst ? save() : saving.then(function () { return true; });
      ready.then(function (saved) {
        waiting = false;
        if (!saved && failing) return; // still down: stay here, the retries carry on
        clearTimeout(retryTimer);
        if (button) form.requestSubmit(button); else form.requestSubmit();
      });
    });
    form.addEventListener("input", function () {
      edits += 1;
      if (!failing) status.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(save, 800);
    });
    if (unsaved()) retryLater(0); // the server gave the page back unsaved: keep trying
  }

  document.addEventListener("DOMContentLoaded", function () {
    var focus = document.querySelector("[data-focus]");
    if (focus) focus.focus();
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      var apply = function () { applyDetails(form); applyConditions(form); };
      bodyMaps(form);
      apply();
      form.addEventListener("change", apply);
      form.addEventListener("input", apply);
      autosave(form);
    });
    // The clinic's preview of a questionnaire: conditions and follow-ups as the patient sees
    // them, no saving.
    document.querySelectorAll("form[data-conditions]").forEach(function (form) {
      var apply = function () { applyDetails(form); applyConditions(form); };
      apply();
      form.addEventListener("change", apply);
      form.addEventListener("input", apply);
    });
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();

// Clinic pages: copy an invitation link, print its handout.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector(".save-status");
      field.select();
      var done = function () { if (status) status.textContent = "Link copied"; };
      if (navigator.clipboard) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
