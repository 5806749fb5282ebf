// carepages preview: reloads this page when the site is rebuilt, and shows build errors over it.
// Served only by `carepages serve`, never part of a built site. Text from the build (file names, messages)
// is put in the page with textContent only, never parsed as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  var pageVersion = script ? script.getAttribute("data-version") : null;
  var OVERLAY_ID = "carepages-preview-overlay";

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = "/__carepages/reload.css";
  document.head.appendChild(style);

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function where(problem) {
    var text = problem.file || "";
    if (problem.line) {
      text += ":" + problem.line;
      if (problem.column) text += ":" + problem.column;
    }
    return text;
  }

  function removeOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }

  function showOverlay(errors) {
    removeOverlay();
    var box = element("section", "carepages-overlay");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", OVERLAY_ID + "-title");
    var title = element("h2", "carepages-overlay-title",
      errors.length === 1 ? "The site did not build: 1 error" : "The site did not build: " + errors.length + " errors");
    title.id = OVERLAY_ID + "-title";
    box.appendChild(title);
    box.appendChild(element("p", "carepages-overlay-note",
      "The preview shows the last version that built. Fix the file and save it: this page updates by itself."));
    var list = element("ul", "carepages-overlay-list");
    errors.forEach(function (problem) {
      var item = element("li", "carepages-overlay-item");
      var place = where(problem);
      if (place) item.appendChild(element("code", "carepages-overlay-where", place));
      item.appendChild(element("span", "carepages-overlay-message", problem.message));
      if (problem.rule) item.appendChild(element("span", "carepages-overlay-rule", "[" + problem.rule + "]"));
      list.appendChild(item);
    });
    box.appendChild(list);
    var hide = element("button", "carepages-overlay-hide", "Hide");
    hide.type = "button";
    hide.addEventListener("click", removeOverlay);
    box.appendChild(hide);
    document.body.appendChild(box);
  }

  function update(event) {
    var state;
    try {
      state = JSON.parse(event.data);
    } catch (e) {
      return;
    }
    if (pageVersion !== null && state.version !== pageVersion) {
      pageVersion = null; // reload once, whatever comes next
      window.location.reload();
      return;
    }
    if (state.errors && state.errors.length) showOverlay(state.errors);
    else removeOverlay();
  }

  // A browser opens at most six connections to one address, and each open stream holds one: only a tab that
  // is shown listens. A tab that comes back asks again, and reloads if the site changed meanwhile.
  var source = null;
  function listen() {
    if (source || document.visibilityState === "hidden") return;
    source = new EventSource("/__carepages/events");
    ["hello", "reload", "error", "ok"].forEach(function (name) {
      source.addEventListener(name, update);
    });
  }
  function stop() {
    if (source) source.close();
    source = null;
  }

  if (!window.EventSource) return;
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") stop();
    else listen();
  });
  window.addEventListener("pagehide", stop);
  window.addEventListener("pageshow", listen);
  listen();
})();
