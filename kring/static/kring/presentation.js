// The kick-off agenda, one section per screen: arrow keys, space, Page Up/Down and the
// Previous/Next links move; F toggles full screen. Without this file the page is one long
// page whose links jump to the next section.
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  if (!slides.length) return;
  document.documentElement.classList.add("js");
  var current = 0;

  function indexFromHash() {
    var index = slides.findIndex(function (slide) { return "#" + slide.id === location.hash; });
    return index < 0 ? 0 : index;
  }

  function show(index, push) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) { slide.classList.toggle("current", i === current); });
    if (push) history.replaceState(null, "", "#" + slides[current].id);
    var heading = slides[current].querySelector("h1, h2");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
    window.scrollTo(0, 0);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".slide-nav a[rel]");
    if (!link) return;
    event.preventDefault();
    show(current + (link.rel === "next" ? 1 : -1), true);
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (key === "ArrowRight" || key === "PageDown" || key === " " || key === "Enter" && event.target === document.body) {
      event.preventDefault(); show(current + 1, true);
    } else if (key === "ArrowLeft" || key === "PageUp" || key === "Backspace") {
      event.preventDefault(); show(current - 1, true);
    } else if (key === "Home") {
      show(0, true);
    } else if (key === "End") {
      show(slides.length - 1, true);
    } else if (key === "f" || key === "F") {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    }
  });

  window.addEventListener("hashchange", function () { show(indexFromHash(), false); });
  show(indexFromHash(), false);
})();
