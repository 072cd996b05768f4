// Small behaviours shared by every page; no framework, no CDN.
(function () {
    "use strict";

    // Show-password toggle (KRDS): the button says what it will do and exposes its state.
    document.querySelectorAll("[data-toggle-password]").forEach(function (button) {
        var input = document.getElementById(button.getAttribute("data-toggle-password"));
        if (!input) { return; }
        button.addEventListener("click", function () {
            var show = input.type === "password";
            input.type = show ? "text" : "password";
            button.setAttribute("aria-pressed", show ? "true" : "false");
            button.textContent = show ? "비밀번호 숨기기" : "비밀번호 보기";
        });
    });

    // "Back" links go back in the browser's history (no javascript: URL, which the
    // Content-Security-Policy refuses); without history they follow their href.
    document.querySelectorAll("a[data-history-back]").forEach(function (link) {
        link.addEventListener("click", function (event) {
            if (window.history.length > 1) {
                event.preventDefault();
                window.history.back();
            }
        });
    });

    // A double click must not submit a form twice: the second submit is ignored while the
    // first is on its way. (The server is idempotent too; this spares the user a second page.)
    document.querySelectorAll("form[data-once], form[method='post']").forEach(function (form) {
        form.addEventListener("submit", function (event) {
            if (form.dataset.submitting === "1") {
                event.preventDefault();
                return;
            }
            form.dataset.submitting = "1";
            form.setAttribute("aria-busy", "true");
            // Re-arm after a while in case the user comes back with the browser's back button.
            window.setTimeout(function () { form.dataset.submitting = ""; form.removeAttribute("aria-busy"); }, 8000);
        });
    });

    // After a refused submit, move focus to what went wrong so a keyboard or screen-reader
    // user hears it at once: the page's error summary, else the first invalid field.
    var summary = document.querySelector("main [data-error-summary], main form .alert-danger, main form .errorlist.nonfield");
    var invalid = document.querySelector("main form .is-invalid, main form [aria-invalid='true']");
    var target = summary || invalid;
    if (target) {
        if (target === summary && !summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
        target.focus({ preventScroll: false });
    }
})();
