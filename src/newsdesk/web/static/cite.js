// Citation pop-overs: clicking a [n] marker shows the quoted passage and its source in
// place. Without JavaScript the marker is a plain link to the passage further down.
// Only textContent and cloned links are used: no HTML is ever built from strings.
(function () {
  "use strict";
  var open = null;

  function close() {
    if (open) {
      open.popover.remove();
      open.marker.setAttribute("aria-expanded", "false");
      open.marker.focus();
      open = null;
    }
  }

  function show(marker, passage) {
    var quote = passage.querySelector("blockquote");
    var source = passage.querySelector(".passage-source");
    var box = document.createElement("div");
    box.className = "cite-popover";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Cited passage");
    box.tabIndex = -1;
    var text = document.createElement("p");
    text.className = "cite-quote";
    text.textContent = quote ? quote.textContent.trim() : "";
    box.appendChild(text);
    if (source) {
      var links = document.createElement("p");
      links.className = "cite-source";
      source.querySelectorAll("a[href^='http']").forEach(function (a) {
        var link = a.cloneNode(true);
        link.textContent = "Open the original: " + a.textContent;
        links.appendChild(link);
      });
      var jump = document.createElement("a");
      jump.href = "#" + passage.id;
      jump.textContent = "Show in the list of passages";
      jump.className = "cite-jump";
      jump.addEventListener("click", function () { close(); });
      links.appendChild(document.createTextNode(" "));
      links.appendChild(jump);
      box.appendChild(links);
    }
    var shut = document.createElement("button");
    shut.type = "button";
    shut.className = "cite-close";
    shut.textContent = "Close";
    shut.addEventListener("click", close);
    box.appendChild(shut);
    marker.insertAdjacentElement("afterend", box);
    marker.setAttribute("aria-expanded", "true");
    open = { popover: box, marker: marker };
    box.focus();
  }

  document.addEventListener("click", function (event) {
    var marker = event.target.closest && event.target.closest("a.cite");
    if (marker) {
      var passage = document.getElementById(marker.getAttribute("href").slice(1));
      if (!passage) { return; }
      event.preventDefault();
      var same = open && open.marker === marker;
      close();
      if (!same) { show(marker, passage); }
      return;
    }
    if (open && !open.popover.contains(event.target)) { close(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { close(); }
  });
})();
