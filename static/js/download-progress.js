// The progress of a background download: ask the server every 2 s and show the link when
// the file is ready. Without JavaScript the page has a "새로 보기" button instead.
(function () {
    "use strict";
    var bar = document.querySelector("[data-download-progress]");
    if (!bar) { return; }
    var url = bar.getAttribute("data-download-progress");
    function poll() {
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (r) { return r.json(); })
            .then(function (data) {
                bar.value = data.percent;
                bar.textContent = data.percent + "%";
                if (data.status === "queued" || data.status === "running") {
                    window.setTimeout(poll, 2000);
                } else {
                    window.location.reload();
                }
            })
            .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 2000);
})();
