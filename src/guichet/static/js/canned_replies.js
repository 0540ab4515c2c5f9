// A canned reply goes into the message box, where the agent can still edit it before sending.
// A file, not an inline script: the Content-Security-Policy runs only the portal's own scripts.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-canned]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-canned"));
  var box = document.getElementById("id_body");
  if (!source || !box) return;
  box.value = box.value ? box.value + "\n\n" + source.content.textContent : source.content.textContent;
  box.focus();
});
