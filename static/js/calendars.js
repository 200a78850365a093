/* Calendar links on the profile page: a "copy" button and select-on-focus.
   Progressive enhancement only: without JavaScript (or without clipboard access) there is no button,
   and the address is selected and copied by hand from its read-only field. */
(function () {
  "use strict";

  document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });

  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("[data-copy-for]").forEach(function (box) {
    var input = document.getElementById(box.getAttribute("data-copy-for"));
    var status = box.querySelector("[role=status]");
    if (!input) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = box.getAttribute("data-label");
    box.insertBefore(button, box.firstChild);
    button.addEventListener("click", function () {
      input.select();
      navigator.clipboard.writeText(input.value).then(
        function () { if (status) { status.textContent = box.getAttribute("data-copied"); } },
        function () { if (status) { status.textContent = box.getAttribute("data-failed"); } }
      );
    });
  });
})();
