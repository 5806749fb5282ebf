// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // A link to a question (#faq-2) should show its answer, not a closed box.
  function openTarget() {
    if (!location.hash) return;
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    var details = target.closest("details");
    if (details) details.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", openTarget);

  // On paper every answer must be readable: open all questions while printing, then restore them.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) {
      return !d.open;
    });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

  // Glossary words. Without this script each marked word is a link to its entry on the glossary page, and
  // the page's "Words used on this page" list gives every meaning (on paper too). Here each becomes a button
  // that opens its meaning in place, taken from that list: by mouse, touch or keyboard (Enter or Space to
  // open and close, Escape to close), with its state told to screen readers by aria-expanded. The button is
  // an inline element of its sentence (role="button"), so it wraps and sizes like the words around it.
  function setUpTerms() {
    var links = document.querySelectorAll(".prose a.term[data-term]");
    Array.prototype.forEach.call(links, function (link, index) {
      var entry = document.getElementById("word-" + link.getAttribute("data-term"));
      var meaning = entry && entry.querySelector("dd");
      if (!meaning) return;
      var button = document.createElement("span");
      button.className = "term-button";
      button.setAttribute("role", "button");
      button.tabIndex = 0;
      button.setAttribute("aria-expanded", "false");
      var box = document.createElement("span");
      box.className = "term-definition";
      box.id = "term-meaning-" + (index + 1);
      box.hidden = true;
      button.setAttribute("aria-controls", box.id);
      while (link.firstChild) button.appendChild(link.firstChild);
      var label = document.createElement("strong");
      label.textContent = "Meaning: ";
      box.appendChild(label);
      box.appendChild(document.createTextNode(meaning.textContent.trim() + " "));
      var more = document.createElement("a");
      more.href = link.href;
      more.textContent = "More in the glossary";
      box.appendChild(more);
      link.parentNode.replaceChild(button, link);
      button.parentNode.insertBefore(box, button.nextSibling);
      function toggle() {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", open ? "true" : "false");
        box.hidden = !open;
      }
      button.addEventListener("click", toggle);
      button.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();  // Space would scroll the page
          toggle();
        }
      });
      function closeOnEscape(event) {
        if (event.key !== "Escape" || box.hidden) return;
        box.hidden = true;
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
      button.addEventListener("keydown", closeOnEscape);
      box.addEventListener("keydown", closeOnEscape);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpTerms);
  } else {
    setUpTerms();
  }

  // Search, on the search page only. The index is Pagefind's, in this site's own pagefind/ folder, and runs
  // here: the words typed never leave the reader's device. The results list is ours (Pagefind's ready-made
  // interface sets inline styles, which the site's Content-Security-Policy refuses). Without JavaScript the
  // page says what search needs and links to the topics instead.
  var PAGE_SIZE = 10;

  function setUpSearch() {
    var root = document.getElementById("search-results");
    if (!root) return;
    var input = document.getElementById("search-q");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-list");
    var more = document.getElementById("search-more");
    var query = (new URLSearchParams(location.search).get("q") || "").trim().slice(0, 200);
    if (!query) return;
    input.value = query;
    var quoted = "\u2018" + query + "\u2019";
    var results = [];
    var shown = 0;

    function say(text, linkText) {
      status.textContent = text;
      if (linkText) {
        var link = document.createElement("a");
        link.href = root.getAttribute("data-topics-url");
        link.textContent = linkText;
        status.appendChild(document.createTextNode(" "));
        status.appendChild(link);
        status.appendChild(document.createTextNode("."));
      }
    }

    function showMore(moveFocus) {
      var batch = results.slice(shown, shown + PAGE_SIZE);
      return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
        var first = null;
        pages.forEach(function (data) {
          var item = resultItem(data);
          list.appendChild(item);
          first = first || item.querySelector("a");
        });
        shown += pages.length;
        more.hidden = shown >= results.length;
        var count = results.length === 1 ? "1 page matches " : results.length + " pages match ";
        say(count + quoted + (results.length > PAGE_SIZE ? ". Showing 1 to " + shown + "." : "."));
        if (moveFocus && first) first.focus();
      });
    }

    say("Searching for " + quoted + "\u2026");
    import(root.getAttribute("data-search-bundle") + "pagefind.js")
      .then(function (pagefind) {
        return pagefind.options({ baseUrl: root.getAttribute("data-search-base"), excerptLength: 24 })
          .then(function () { return pagefind.search(query); });
      })
      .then(function (search) {
        results = (search && search.results) || [];
        if (!results.length) {
          say("No pages match " + quoted + ". Check the spelling, try another word, or browse the", "list of topics");
          return null;
        }
        more.addEventListener("click", function () { showMore(true); });
        return showMore(false);
      })
      .catch(function () {
        // no index (a build with --no-search), or a browser that cannot run it
        say("Sorry, search is not available here. You can browse the", "list of topics");
      });
  }

  function resultItem(data) {
    var item = document.createElement("li");
    item.className = "search-result";
    var heading = document.createElement("h2");
    heading.className = "search-result-title";
    var link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    appendExcerpt(excerpt, data.excerpt || "");
    item.appendChild(excerpt);
    return item;
  }

  // Pagefind's excerpt is escaped text with <mark> around the words found: rebuild exactly that, as text and
  // <mark> elements, never as HTML.
  function appendExcerpt(element, html) {
    var parsed = new DOMParser().parseFromString("<body>" + html, "text/html").body;
    Array.prototype.forEach.call(parsed.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpSearch);
  } else {
    setUpSearch();
  }
})();
