// "/" focuses the header's global search, as in GitHub or Gmail; never while typing in a field.
(function () {
  "use strict";
  function typing(target) {
    if (!target || !(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    return ["INPUT", "TEXTAREA", "SELECT"].indexOf(target.tagName) !== -1;
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var box = document.getElementById("global-search");
    if (!box) return;
    event.preventDefault();
    // On a phone the box sits in the collapsed menu: open it first so the box can take the focus.
    var menu = box.closest(".collapse");
    if (menu && !menu.classList.contains("show") && window.bootstrap) {
      window.bootstrap.Collapse.getOrCreateInstance(menu).show();
    }
    box.focus();
    box.select();
  });
})();
