// Photos and videos on a patient page, with JavaScript: each file is sent on its own, with a
// progress bar and a Cancel button; an interrupted upload can be retried. The rest of the page
// is never resent or lost. Without this file, the files go with the page's form on Next or Save.
// The words come from the page, in the patient's language: data-* on the question, and the
// captions of a sent file in the server's answer.
(function () {
  "use strict";

  function said(row, name) {
    var item = row.closest("[data-media-item]");
    return (item && item.getAttribute("data-" + name)) || "";
  }

  var csrf = function (form) { return form.querySelector('[name="csrfmiddlewaretoken"]').value; };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function button(label, onClick) {
    var node = el("button", { type: "button", "class": "link-button" }, label);
    node.addEventListener("click", onClick);
    return node;
  }

  function removeButton(row, body) {
    var node = el("button", { type: "submit", name: "action", value: "media-remove:" + body.id,
                              "class": "link-button" });
    node.appendChild(el("span", { "aria-hidden": "true" }, said(row, "remove")));
    node.appendChild(el("span", { "class": "visually-hidden" }, body.remove_label));
    return node;
  }

  function showSettled(row, body) {
    row.textContent = "";
    row.setAttribute("data-media-id", body.id);
    row.setAttribute("data-media-status", body.status);
    if (body.ready) {
      row.appendChild(el("img", { "class": "media-thumbnail", src: body.poster_url, width: "160",
                                  alt: body.alt }));
      row.appendChild(el("span", { "class": "media-caption" }, body.caption));
    } else if (body.refused) {
      row.appendChild(el("span", { "class": "media-caption error" }, body.caption));
    } else {
      row.appendChild(el("span", { "class": "media-caption", "data-media-processing": "" },
                         body.caption));
      setTimeout(function () { poll(row, body.id); }, 2000);
    }
    row.appendChild(removeButton(row, body));
  }

  function poll(row, id) {
    fetch("/patient/media/" + id + "/", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) showSettled(row, body); })
      .catch(function () { setTimeout(function () { poll(row, id); }, 5000); });
  }

  function send(form, url, file, row) {
    row.textContent = "";
    var label = el("span", { "class": "media-caption" },
                   said(row, "sending").replace("{name}", function () { return file.name; }));
    var bar = el("progress", { max: "100", value: "0" });
    var xhr = new XMLHttpRequest();
    var cancel = button(said(row, "cancel"), function () { xhr.abort(); });
    row.appendChild(label);
    row.appendChild(bar);
    row.appendChild(cancel);

    function interrupted(message) {
      row.textContent = "";
      row.appendChild(el("span", { "class": "media-caption error", role: "alert" }, message));
      row.appendChild(button(said(row, "try-again"), function () { send(form, url, file, row); }));
      row.appendChild(button(said(row, "forget"), function () { row.remove(); }));
    }

    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.addEventListener("load", function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status === 201) { showSettled(row, body); return; }
      if (xhr.status >= 500 || xhr.status === 0) {
        interrupted(said(row, "interrupted"));
        return;
      }
      row.textContent = "";
      row.appendChild(el("span", { "class": "media-caption error", role: "alert" },
                         body.detail || said(row, "not-sent")));
      row.appendChild(button(said(row, "ok"), function () { row.remove(); }));
    });
    xhr.addEventListener("error", function () {
      interrupted(said(row, "interrupted"));
    });
    xhr.addEventListener("abort", function () {
      interrupted(said(row, "cancelled"));
    });
    var data = new FormData();
    data.append("file", file);
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRFToken", csrf(form));
    xhr.send(data);
  }

  document.querySelectorAll("[data-media-item]").forEach(function (item) {
    var input = item.querySelector('input[type="file"][data-upload-url]');
    var list = item.querySelector("[data-media-list]");
    var form = item.closest("form");
    if (!input || !list || !form) return;
    list.querySelectorAll("[data-media-processing]").forEach(function (caption) {
      var row = caption.closest("[data-media-id]");
      poll(row, row.getAttribute("data-media-id"));
    });
    input.addEventListener("change", function (event) {
      event.stopPropagation(); // not an answer: the page's autosave has nothing to do
      Array.prototype.forEach.call(input.files, function (file) {
        var row = el("li", { "class": "media-file", "aria-live": "polite" });
        list.appendChild(row);
        send(form, input.getAttribute("data-upload-url"), file, row);
      });
      input.value = ""; // sent already: Next must not send it again
    });
  });
})();
