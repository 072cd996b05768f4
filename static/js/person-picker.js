/*
 * 직원 검색 선택기 (person picker): search-as-you-type for one person, vendored, no CDN.
 *
 * The ARIA 1.2 combobox pattern (list autocomplete): the text input is the combobox, a
 * listbox of at most 20 people follows it, a polite live region says how many were found.
 * Keys: ↓/↑ move through the list (Alt+↓ opens it), Enter picks, Esc closes (twice clears),
 * Tab leaves. Picking puts the person's id in the hidden input the text input names.
 *
 * Markup (org.people.PersonPickerWidget renders it):
 *   <input type="text" name="user_query" id="id_user" data-person-picker
 *          data-person-picker-url="/accounts/people/" data-person-picker-value="id_user_value">
 *   <input type="hidden" name="user" id="id_user_value">
 * Without this script the text input is a plain field: the form resolves a typed
 * 직원 아이디 or 이름. The JSON answer is {"results": [{"id", "name", "department"}]}.
 * Pages that add pickers later call window.PersonPicker.initAll(container).
 */
(function () {
    "use strict";

    var DEBOUNCE_MS = 200;
    var TEXT = {
        listLabel: "직원 검색 결과",
        found: function (n) {
            return "검색 결과 " + n + "명. 위아래 화살표로 고르고 Enter로 선택하세요.";
        },
        none: "검색 결과가 없습니다. 이름이나 직원 아이디를 다시 확인하세요.",
        failed: "검색하지 못했습니다. 잠시 뒤 다시 입력하거나 직원 아이디를 그대로 적으세요.",
        picked: function (label) {
            return label + " 선택됨";
        },
    };
    var counter = 0;

    function label(person) {
        return person.department ? person.name + " (" + person.department + ")" : person.name;
    }

    function init(input) {
        if (input.getAttribute("data-person-picker-ready")) {
            return;
        }
        var hidden = document.getElementById(input.getAttribute("data-person-picker-value"));
        var url = input.getAttribute("data-person-picker-url");
        if (!hidden || !url) {
            return;
        }
        input.setAttribute("data-person-picker-ready", "1");
        counter += 1;
        var listId = (input.id || "person-picker-" + counter) + "-listbox";

        var wrapper = document.createElement("div");
        wrapper.className = "person-picker";
        input.parentNode.insertBefore(wrapper, input);
        wrapper.appendChild(input);

        var list = document.createElement("ul");
        list.id = listId;
        list.className = "person-picker__list";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", TEXT.listLabel);
        list.hidden = true;
        wrapper.appendChild(list);

        var status = document.createElement("div");
        status.className = "visually-hidden";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        wrapper.appendChild(status);

        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", listId);

        var results = [];
        var active = -1;
        var timer = null;
        var sequence = 0;
        var lastQuery = null;

        function setActive(index) {
            var options = list.querySelectorAll("[role=option]");
            active = index;
            for (var i = 0; i < options.length; i += 1) {
                options[i].setAttribute("aria-selected", i === index ? "true" : "false");
            }
            if (index >= 0 && options[index]) {
                input.setAttribute("aria-activedescendant", options[index].id);
                options[index].scrollIntoView({ block: "nearest" });
            } else {
                input.removeAttribute("aria-activedescendant");
            }
        }

        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
            setActive(-1);
        }

        function open() {
            if (results.length) {
                list.hidden = false;
                input.setAttribute("aria-expanded", "true");
            }
        }

        function render() {
            list.textContent = "";
            results.forEach(function (person, i) {
                var option = document.createElement("li");
                option.id = listId + "-" + i;
                option.className = "person-picker__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.setAttribute("data-index", String(i));
                var name = document.createElement("span");
                name.className = "person-picker__name";
                name.textContent = person.name;
                var dept = document.createElement("span");
                dept.className = "person-picker__department";
                dept.textContent = person.department || "";
                option.appendChild(name);
                option.appendChild(dept);
                list.appendChild(option);
            });
            setActive(-1);
            if (results.length) {
                open();
            } else {
                close();
            }
        }

        function choose(index) {
            var person = results[index];
            if (!person) {
                return;
            }
            hidden.value = String(person.id);
            input.value = label(person);
            lastQuery = input.value;
            close();
            status.textContent = TEXT.picked(label(person));
            input.dispatchEvent(new CustomEvent("person-picker:select", { detail: person, bubbles: true }));
        }

        function search() {
            var query = input.value.trim();
            if (query === lastQuery) {
                open();
                return;
            }
            lastQuery = query;
            if (!query) {
                results = [];
                render();
                status.textContent = "";
                return;
            }
            sequence += 1;
            var mine = sequence;
            var sep = url.indexOf("?") === -1 ? "?" : "&";
            fetch(url + sep + "q=" + encodeURIComponent(query), {
                credentials: "same-origin",
                headers: { Accept: "application/json" },
            })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error(String(response.status));
                    }
                    return response.json();
                })
                .then(function (data) {
                    if (mine !== sequence) {
                        return; // a later keystroke's answer wins
                    }
                    results = data.results || [];
                    render();
                    status.textContent = results.length ? TEXT.found(results.length) : TEXT.none;
                })
                .catch(function () {
                    if (mine === sequence) {
                        results = [];
                        render();
                        status.textContent = TEXT.failed;
                    }
                });
        }

        input.addEventListener("input", function () {
            hidden.value = ""; // typing again un-picks; the form resolves the text instead
            window.clearTimeout(timer);
            timer = window.setTimeout(search, DEBOUNCE_MS);
        });

        input.addEventListener("keydown", function (event) {
            var isOpen = !list.hidden;
            switch (event.key) {
                case "ArrowDown":
                    event.preventDefault();
                    if (!isOpen) {
                        if (results.length) {
                            open();
                        } else {
                            lastQuery = null;
                            search();
                        }
                        if (!event.altKey) {
                            setActive(0);
                        }
                    } else {
                        setActive(active + 1 < results.length ? active + 1 : 0);
                    }
                    break;
                case "ArrowUp":
                    event.preventDefault();
                    if (isOpen) {
                        setActive(active > 0 ? active - 1 : results.length - 1);
                    } else if (results.length) {
                        open();
                        setActive(results.length - 1);
                    }
                    break;
                case "Enter":
                    if (isOpen && active >= 0) {
                        event.preventDefault(); // pick, don't submit the form yet
                        choose(active);
                    }
                    break;
                case "Escape":
                    if (isOpen) {
                        event.preventDefault();
                        close();
                    } else if (input.value) {
                        event.preventDefault();
                        input.value = "";
                        hidden.value = "";
                        lastQuery = null;
                    }
                    break;
                case "Tab":
                    close();
                    break;
                default:
                    break;
            }
        });

        // Keep the focus in the input while a mouse or finger picks an option.
        list.addEventListener("mousedown", function (event) {
            event.preventDefault();
        });
        list.addEventListener("click", function (event) {
            var option = event.target.closest("[role=option]");
            if (option) {
                choose(Number(option.getAttribute("data-index")));
            }
        });
        input.addEventListener("blur", function () {
            window.setTimeout(close, 0);
        });
    }

    function initAll(root) {
        var inputs = (root || document).querySelectorAll("input[data-person-picker]");
        for (var i = 0; i < inputs.length; i += 1) {
            init(inputs[i]);
        }
    }

    window.PersonPicker = { init: init, initAll: initAll };
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", function () {
            initAll(document);
        });
    } else {
        initAll(document);
    }
})();
