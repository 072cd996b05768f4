// A link marked data-confirm-dialog="<id>" opens that <dialog> instead of its confirmation
// page (the page stays the path without JavaScript). Buttons marked data-dialog-close close
// it: nothing changes. Focus starts on the safe choice and returns to the link on close.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-confirm-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-confirm-dialog"));
      if (!dialog || typeof dialog.showModal !== "function") {
        return; // follow the link: the confirmation page
      }
      event.preventDefault();
      dialog.showModal();
      var cancel = dialog.querySelector("[data-dialog-close]");
      if (cancel) {
        cancel.focus();
      }
      dialog.addEventListener(
        "close",
        function () {
          opener.focus();
        },
        { once: true }
      );
      return;
    }
    var closer = event.target.closest("[data-dialog-close]");
    if (closer) {
      var open = closer.closest("dialog");
      if (open) {
        open.close();
      }
    }
  });
})();
