// While the customer types, the best help articles appear: the query is the subject and the
// description together, so an article matching either shows up. A listener in a file, not
// htmx's `js:` values, which need eval: the Content-Security-Policy refuses it.
document.addEventListener("htmx:configRequest", function (event) {
  if (!event.detail.elt.hasAttribute("data-suggest-query")) return;
  var subject = document.getElementById("id_subject");
  var description = document.getElementById("id_description");
  var text = (subject ? subject.value : "") + " " + (description ? description.value : "");
  event.detail.parameters.q = text.trim();
});
