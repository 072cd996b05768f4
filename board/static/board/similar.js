// While writing, list earlier posts similar to the draft (title and body), after a pause.
(function () {
    "use strict";
    var form = document.getElementById("post-form");
    if (!form || !window.fetch) { return; }
    var box = document.getElementById("similar-posts");
    var title = form.querySelector("[name=title]");
    var body = form.querySelector("[name=body]");
    var timer = null;
    var last = "";

    function check() {
        var params = new URLSearchParams({
            area: form.dataset.area,
            title: title.value,
            body: body.value.slice(0, 2000)
        });
        var key = params.toString();
        if (key === last || (title.value + body.value).trim().length < 4) { return; }
        last = key;
        fetch(form.dataset.similarUrl + "?" + key, {credentials: "same-origin"})
            .then(function (r) { return r.ok ? r.text() : ""; })
            .then(function (html) { if (html) { box.innerHTML = html; } })
            .catch(function () { /* the "비슷한 글 찾기" button still works */ });
    }

    function later() {
        clearTimeout(timer);
        timer = setTimeout(check, 800);
    }
    title.addEventListener("input", later);
    body.addEventListener("blur", check);
})();
