/* The one-stop pages: keyboard shortcuts for a desk officer, and no double submissions.
   Everything works without it; it only saves clicks. */
(function () {
  "use strict";

  // A form posted once stays posted: disable its buttons until the next page arrives.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("is-busy");
    });
  });

  // Procedure search: Enter or ↓ picks from the results instead of submitting the form. An
  // Enter typed before the results arrive picks the first one when they do.
  var pickWhenFound = false;
  document.addEventListener("keydown", function (event) {
    var search = event.target;
    if (!search.matches || !search.matches("#procedure-q")) return;
    var options = document.querySelectorAll("#procedure-results .os-choice");
    if (event.key === "Enter") {
      event.preventDefault();
      if (options.length) {
        options[0].click();
      } else if (search.value.trim() && window.htmx) {
        pickWhenFound = true;
        window.htmx.trigger(search, "search");
      }
    } else if (event.key === "ArrowDown" && options.length) {
      event.preventDefault();
      options[0].focus();
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var results = event.detail.target;
    if (!pickWhenFound || !results || results.id !== "procedure-results") return;
    pickWhenFound = false;
    var first = results.querySelector(".os-choice");
    if (first) first.click();
  });

  // Arrow keys move between the procedure results.
  document.addEventListener("keydown", function (event) {
    var option = event.target;
    if (!option.matches || !option.matches(".os-choice")) return;
    var item = option.closest("li");
    var next = null;
    if (event.key === "ArrowDown" && item.nextElementSibling) {
      next = item.nextElementSibling.querySelector(".os-choice");
    } else if (event.key === "ArrowUp") {
      next = item.previousElementSibling
        ? item.previousElementSibling.querySelector(".os-choice")
        : document.getElementById("procedure-q");
    }
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    // "Đánh dấu tất cả": tick every paper of the procedure.
    if (target.matches("[data-tick-all]")) {
      document.querySelectorAll(".os-tick input[type=checkbox]").forEach(function (box) {
        box.checked = true;
      });
    }
    // "Đổi thủ tục": back to the search box.
    if (target.matches("[data-focus]")) {
      var field = document.querySelector(target.dataset.focus);
      if (field) field.focus();
    }
  });

  // After a procedure is chosen from the results, go on to the applicant. The choice's button
  // is gone by then (the results are cleared), so remember the click.
  var procedureChosen = false;
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".os-choice")) procedureChosen = true;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!procedureChosen || !event.target || event.target.id !== "receive-panel") return;
    procedureChosen = false;
    var name = document.getElementById("id_applicant_name");
    if (name) name.focus();
  });

  // "/" focuses the search of the list pages, like most web apps.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var search = document.getElementById("id_q") || document.getElementById("procedure-q");
    if (search) {
      event.preventDefault();
      search.focus();
    }
  });
})();
