// A form marked data-busy takes long (a signature: about 5 s). On submit its button is disabled,
// so a second click cannot send it twice, and the form's aria-live status says what is happening.
// Without JavaScript the form is a plain POST and still works. A file, not an inline script (CSP).
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-busy]");
  if (!form || event.defaultPrevented) return;
  var button = event.submitter || form.querySelector("button[type=submit]");
  var status = form.querySelector("[data-busy-status]");
  if (status) {
    status.textContent = form.getAttribute("data-busy");
    status.classList.remove("visually-hidden");
  }
  if (button) {
    // Disabled after the browser has taken the button's value into the submission.
    window.setTimeout(function () {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
    }, 0);
  }
  form.setAttribute("aria-busy", "true");
});
